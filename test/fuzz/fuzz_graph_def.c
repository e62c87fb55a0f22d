/* libFuzzer target: any bytes as model.json, graph-model or layers-model
 * (the reader, src/graph/reader/). The reader must report a problem or
 * accept, never crash, leak or read out of bounds (built with ASan and UBSan
 * by scripts/fuzz-graph.sh). An accepted model has every input, signature
 * entry and order entry naming a node, goes through the shard check and
 * decodes every weight from a zeroed buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/reader/graph_def.h"
#include "graph/reader/weights.h"

static void check_refs(const cw_graph_def *g, const cw_input *refs, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (refs[i].producer < -1 || refs[i].producer >= (int32_t)g->n_nodes) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cw_graph_def *g = NULL;
    if (cw_graph_def_parse((const char *)data, size, &g) != CW_OK) return 0;
    const char *problems = cw_graph_def_problems(g);
    check_refs(g, g->sig_inputs, g->n_sig_inputs);
    check_refs(g, g->sig_outputs, g->n_sig_outputs);
    if (!problems && g->n_groups < 64) {
        size_t bytes[64];
        for (size_t i = 0; i < g->n_groups; i++) bytes[i] = g->groups[i].bytes;
        if (cw_graph_weights_check(g, bytes, g->n_groups) != 0) abort();
        for (size_t w = 0; w < g->n_weights; w++) {
            const cw_weight_def *wd = &g->weights[w];
            if (wd->bytes > (1u << 20) || wd->count > (1u << 20)) continue;
            unsigned char *src = calloc(1, wd->bytes + 1);
            float *dst = malloc(wd->count * 4 + 4);
            cw_weight_decode(wd, src, dst);
            free(src);
            free(dst);
        }
        if (g->n_order != g->n_nodes) abort(); /* acyclic: every node ordered */
        for (size_t o = 0; o < g->n_order; o++)
            if (g->order[o] < 0 || (size_t)g->order[o] >= g->n_nodes) abort();
        for (size_t k = 0; k < g->n_nodes; k++) {
            const cw_node_def *n = &g->nodes[k];
            for (size_t i = 0; i < n->n_inputs; i++)
                if (n->inputs[i].producer < 0 || (size_t)n->inputs[i].producer >= g->n_nodes)
                    abort();
            if (n->weight >= 0 && (size_t)n->weight >= g->n_weights) abort();
            (void)cw_node_attr(n, "padding");
        }
    }
    cw_graph_def_free(g);
    return 0;
}
