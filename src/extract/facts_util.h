/*
 * facts_util.h: small helpers shared by the extract/ stages for growing the
 * mr_facts vectors (MR_VEC in extract.h).
 *
 * MR_VEC_PUSH(vec) appends one zeroed element to an MR_VEC and returns a
 * pointer to it, or NULL on OOM (the vector is then unchanged). Growth
 * doubles the capacity (16 first), so n pushes cost O(n) amortised. The
 * pointer stays valid until the next push onto the same vector.
 *
 *   mr_entity *e = MR_VEC_PUSH(f->entities);
 *   if (!e) return MARSAD_E_NOMEM;
 */
#ifndef MR_FACTS_UTIL_H
#define MR_FACTS_UTIL_H

#include <stddef.h>

/* vp is the address of the vector's element pointer (T **), n and cap its
 * counters, elem sizeof(T). */
void *mr_vec_push_(void *vp, size_t *n, size_t *cap, size_t elem);

#define MR_VEC_PUSH(vec)                                                       \
    mr_vec_push_(&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v)

#endif
