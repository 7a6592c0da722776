/* ring.h - preallocated ring of the newest encoded frames (JPEG) for the web
 * stream. The writer (vision) copies a frame into a free slot; readers (each
 * MJPEG client) take a reference to the newest slot, send it and release it.
 * A slot a reader holds is never overwritten; when every slot is held the
 * writer drops the frame. Buffers grow only when a frame is larger than any
 * before, so there is no malloc per frame on the hot path.
 */
#ifndef GR_RING_H
#define GR_RING_H

#include <stddef.h>
#include <stdint.h>

typedef struct gr_ring gr_ring_t;

typedef struct {
    const unsigned char *data;
    size_t size;
    uint64_t seq;        /* increases by one per published frame */
    double t;            /* monotonic capture time, seconds */
    int slot;            /* internal */
} gr_ring_frame_t;

/* A ring of `slots` buffers (>= 3). Caller owns it: gr_ring_free. */
gr_ring_t *gr_ring_new(int slots) __attribute__((warn_unused_result));
void gr_ring_free(gr_ring_t *r);

/* Copy a frame in. Returns GR_OK, GR_ERR_BUSY (all slots held: dropped) or
 * GR_ERR_NOMEM. */
int gr_ring_put(gr_ring_t *r, const void *data, size_t size, double t);

/* Wait up to timeout_ms for a frame newer than after_seq, then hold it.
 * Returns GR_OK (release it with gr_ring_release), GR_ERR_TIMEOUT or
 * GR_ERR_STOPPED. */
int gr_ring_get(gr_ring_t *r, uint64_t after_seq, int timeout_ms, gr_ring_frame_t *out);
void gr_ring_release(gr_ring_t *r, gr_ring_frame_t *f);

/* Wake every waiter with GR_ERR_STOPPED. */
void gr_ring_stop(gr_ring_t *r);

#endif
