/*
 * zin.c: reading an input that may be gzip'd. zlib's gzread was used
 * before; it ends quietly at bytes after the last gzip member that are not
 * another member (trailing garbage), so a damaged or padded .gz lost them
 * without a word. This reader inflates with zlib itself, member after
 * member, and counts such bytes (mr_zin_trailing) for the iterator to name
 * the file. A non-gzip input (no 1f 8b magic) is passed through as is.
 *
 * O(input): each byte is read once; memory is two fixed buffers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "ingest/internal.h"

#define ZIN_CHUNK ((size_t)1 << 16)

struct mr_zin {
    int fd;
    int mode;       /* 0 not yet known, 1 plain, 2 gzip */
    int in_eof;     /* the file is read to its end */
    int member_end; /* between two gzip members */
    int failed;
    z_stream zs;
    unsigned char in[ZIN_CHUNK];
    uint64_t trailing; /* bytes after the last member that are not one */
    char msg[160];
};

mr_zin *mr_zin_open(int fd)
{
    mr_zin *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->fd = fd;
    return z;
}

void mr_zin_close(mr_zin *z)
{
    if (!z)
        return;
    if (z->mode == 2)
        inflateEnd(&z->zs);
    close(z->fd);
    free(z);
}

uint64_t mr_zin_trailing(const mr_zin *z)
{
    return z ? z->trailing : 0;
}

const char *mr_zin_error(const mr_zin *z)
{
    return z && z->failed ? z->msg : NULL;
}

/* Records the error "what: detail". */
static long fail(mr_zin *z, const char *what, const char *detail)
{
    z->failed = 1;
    snprintf(z->msg, sizeof z->msg, "%s%s%s", what, detail ? ": " : "",
             detail ? detail : "");
    return -1;
}

/* Appends more of the file after the unread input; 0 at its end, -1 on a
 * read error. */
static long fill(mr_zin *z)
{
    if (z->in_eof)
        return 0;
    size_t have = z->zs.avail_in;
    if (have && z->zs.next_in != z->in)
        memmove(z->in, z->zs.next_in, have);
    z->zs.next_in = z->in;
    ssize_t k;
    do
        k = read(z->fd, z->in + have, ZIN_CHUNK - have);
    while (k < 0 && errno == EINTR);
    if (k < 0)
        return fail(z, "read error", strerror(errno));
    if (k == 0)
        z->in_eof = 1;
    z->zs.avail_in = (uInt)(have + (size_t)k);
    return k;
}

/* Counts what is left of the file as trailing bytes. */
static long drain(mr_zin *z)
{
    z->trailing += z->zs.avail_in;
    z->zs.avail_in = 0;
    for (;;) {
        long k = fill(z);
        if (k < 0)
            return -1;
        if (k == 0)
            return 0;
        z->trailing += z->zs.avail_in;
        z->zs.avail_in = 0;
    }
}

long mr_zin_read(mr_zin *z, char *out, size_t want)
{
    if (z->failed)
        return -1;
    if (z->mode == 0) {
        while (z->zs.avail_in < 2 && !z->in_eof)
            if (fill(z) < 0)
                return -1;
        if (z->zs.avail_in >= 2 && z->in[0] == 0x1f && z->in[1] == 0x8b) {
            unsigned char *ni = z->zs.next_in;
            uInt na = z->zs.avail_in;
            memset(&z->zs, 0, sizeof z->zs);
            if (inflateInit2(&z->zs, 15 + 16) != Z_OK)
                return fail(z, "out of memory", NULL);
            z->zs.next_in = ni;
            z->zs.avail_in = na;
            z->mode = 2;
        } else
            z->mode = 1;
    }
    if (z->mode == 1) { /* plain: what was sniffed, then the file */
        if (z->zs.avail_in) {
            size_t n = z->zs.avail_in < want ? z->zs.avail_in : want;
            memcpy(out, z->zs.next_in, n);
            z->zs.next_in += n;
            z->zs.avail_in -= (uInt)n;
            return (long)n;
        }
        if (z->in_eof)
            return 0;
        ssize_t k;
        do
            k = read(z->fd, out, want);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            return fail(z, "read error", strerror(errno));
        if (k == 0)
            z->in_eof = 1;
        return (long)k;
    }
    z->zs.next_out = (unsigned char *)out;
    z->zs.avail_out = (uInt)want;
    while (z->zs.avail_out > 0) {
        if (z->member_end) {
            /* another member, trailing bytes, or the end */
            while (z->zs.avail_in < 2 && !z->in_eof)
                if (fill(z) < 0)
                    goto out;
            if (z->zs.avail_in == 0)
                break; /* the end */
            if (z->zs.avail_in < 2 || z->zs.next_in[0] != 0x1f ||
                z->zs.next_in[1] != 0x8b) {
                if (drain(z) < 0)
                    goto out;
                break;
            }
            if (inflateReset(&z->zs) != Z_OK) {
                fail(z, "corrupt gzip data", z->zs.msg);
                goto out;
            }
            z->member_end = 0;
        }
        if (z->zs.avail_in == 0 && fill(z) < 0)
            goto out;
        int ret = inflate(&z->zs, Z_NO_FLUSH);
        if (ret == Z_STREAM_END)
            z->member_end = 1;
        else if (ret == Z_OK || ret == Z_BUF_ERROR) {
            /* stopped for want of input, and there is no more */
            if (z->zs.avail_in == 0 && z->in_eof && z->zs.avail_out > 0) {
                fail(z, "corrupt or truncated gzip data",
                     "unexpected end of file");
                goto out;
            }
        } else {
            fail(z, "corrupt or truncated gzip data",
                 z->zs.msg ? z->zs.msg : "invalid data");
            goto out;
        }
    }
out:
    /* what was inflated before an error is handed out first; the error
     * comes with the next call */
    if (want - z->zs.avail_out > 0)
        return (long)(want - z->zs.avail_out);
    return z->failed ? -1 : 0;
}
