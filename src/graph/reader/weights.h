/* The weights of a model: shard bytes checked against the manifest and
 * decoded (dequantized, half to float) into the tensors' dtypes. */
#ifndef CW_GRAPH_READER_WEIGHTS_H
#define CW_GRAPH_READER_WEIGHTS_H

#include <stddef.h>

#include "graph/reader/graph_def.h"

/* Notes a problem in g for every group whose shards hold other than the
 * manifest's byte count (group_bytes[i] for group i; n_groups must match).
 * Returns the number of problems found. */
size_t cw_graph_weights_check(cw_graph_def *g, const size_t *group_bytes, size_t n_groups);

/* Decodes w from its stored bytes src (w->bytes of them) into dst: w->count
 * float32, int32 (rounded after dequantizing) or bool (one byte) values. */
void cw_weight_decode(const cw_weight_def *w, const unsigned char *src, void *dst);

/* IEEE half (bits) to float, exactly (subnormals, infinities, NaN kept). */
float cw_half_to_float(unsigned short h);

#endif
