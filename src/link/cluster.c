/* cluster.c: placeholder until the story clustering lands (link.h). */
#include "link/link_internal.h"
