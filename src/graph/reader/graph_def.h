/* cw_graph_def: a TF.js `model.json` read into plain C structs: a
 * graph-model's nodes as written, a layers-model's Keras layers as the TF op
 * nodes that compute them (reader/layers.c).
 *
 * cw_graph_def_parse reads the JSON (not NUL-terminated) with cJSON, copies
 * what the runtime needs into an arena and lets go of every cJSON object
 * before it returns. The nodes are linked (each data input resolved to its
 * producer) and checked; every problem found is listed in `problems`, one per
 * line, all at once: malformed JSON, a wrong format, unnamed or duplicate
 * nodes, inputs naming no node, cycles, ops the runtime does not know, Const
 * nodes without a weight, weights with an unknown dtype or a bad shape. A
 * model with problems is still returned (so all of them can be shown); it is
 * not to be run. */
#ifndef CW_GRAPH_READER_GRAPH_DEF_H
#define CW_GRAPH_READER_GRAPH_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/status.h"
#include "graph/reader/arena.h"
#include "graph/reader/problems.h"

typedef enum {
    CW_ATTR_INT,     /* i */
    CW_ATTR_FLOAT,   /* f */
    CW_ATTR_BOOL,    /* i: 0 or 1 */
    CW_ATTR_STRING,  /* s (base64 in the JSON, decoded), s_len bytes */
    CW_ATTR_TYPE,    /* i: a cw_tf_type */
    CW_ATTR_SHAPE,   /* ints: count dims, -1 unknown; unknown rank: count = 0, i = 1 */
    CW_ATTR_INTS,    /* ints[count] */
    CW_ATTR_FLOATS,  /* floats[count] */
    CW_ATTR_STRINGS, /* strs[count] */
    CW_ATTR_TYPES,   /* ints[count]: cw_tf_type */
    CW_ATTR_OTHER    /* a tensor, function or empty value the runtime reads elsewhere */
} cw_attr_kind;

/* TF DataType names the runtime meets in model.json (DT_FLOAT ...). */
typedef enum {
    CW_TF_UNKNOWN = 0,
    CW_TF_FLOAT,
    CW_TF_INT32,
    CW_TF_BOOL,
    CW_TF_INT64,
    CW_TF_STRING,
    CW_TF_HALF,
    CW_TF_UINT8,
    CW_TF_DOUBLE,
    CW_TF_OTHER
} cw_tf_type;

typedef struct {
    const char *name;
    cw_attr_kind kind;
    int64_t i;
    double f;
    const char *s;
    size_t s_len;
    size_t count;
    int64_t *ints;
    double *floats;
    const char **strs;
} cw_attr;

typedef struct {
    const char *node; /* the producer's name as written */
    int index;        /* output index ("name:1") */
    int32_t producer; /* index into nodes, -1 if unresolved */
} cw_input;

typedef struct {
    const char *name, *op;
    cw_input *inputs; /* data inputs, in order */
    size_t n_inputs;
    const char **controls; /* "^name" control inputs (ordering only) */
    size_t n_controls;
    cw_attr *attrs;
    size_t n_attrs;
    int32_t weight; /* Const: index into weights, else -1 */
} cw_node_def;

/* How a weight's values are stored in the shard bytes. */
typedef enum {
    CW_STORE_F32,
    CW_STORE_I32,
    CW_STORE_BOOL,
    CW_STORE_U8,     /* quantized: value = min + q * scale (or q * scale + min) */
    CW_STORE_U16,    /* the same with 16-bit q */
    CW_STORE_F16,    /* IEEE half */
    CW_STORE_LITERAL /* not in the shards: `literal` holds the decoded values */
} cw_weight_store;

typedef struct {
    const char *name;
    cw_dtype dtype; /* after decoding */
    cw_weight_store store;
    double min, scale; /* as TF.js reads them: JSON doubles */
    size_t rank;
    int64_t *shape;
    size_t count;        /* elements */
    size_t group;        /* manifest group */
    size_t offset;       /* bytes from the start of the group's first shard */
    size_t bytes;        /* stored bytes (0 for a literal) */
    const void *literal; /* CW_STORE_LITERAL: count values of dtype */
} cw_weight_def;

typedef struct {
    const char **paths;
    size_t n_paths;
    size_t bytes; /* what its shards must hold together */
} cw_weight_group;

typedef struct {
    cw_node_def *nodes;
    size_t n_nodes;
    cw_weight_def *weights;
    size_t n_weights;
    cw_weight_group *groups;
    size_t n_groups;
    cw_input *sig_inputs; /* signature.inputs / outputs in file order (may be 0) */
    size_t n_sig_inputs;
    cw_input *sig_outputs;
    size_t n_sig_outputs;
    int32_t *order; /* n_order nodes, producers first (all of them when acyclic) */
    size_t n_order;
    int32_t *index; /* open-addressing table of node indices by name */
    size_t index_cap;
    cw_problems problems;
    cw_arena arena;
} cw_graph_def;

/* Parses model.json of len bytes. Returns CW_OK with *out set (even when the
 * model has problems: see out->problems), or CW_ERR_NOMEM. */
cw_status cw_graph_def_parse(const char *json, size_t len, cw_graph_def **out);
void cw_graph_def_free(cw_graph_def *g);

/* The problems as text (one per line), or NULL when there are none. */
const char *cw_graph_def_problems(cw_graph_def *g);

const cw_attr *cw_node_attr(const cw_node_def *n, const char *name);
int32_t cw_graph_def_find(const cw_graph_def *g, const char *name);

/* Whether the runtime knows op (by TF op name). */
int cw_graph_op_known(const char *op);

/* Decodes base64 (standard alphabet, padding optional) into out (room for
 * 3 * len / 4 + 3 bytes); returns the decoded length, or SIZE_MAX if invalid. */
size_t cw_base64_decode(const char *in, size_t len, unsigned char *out);

#endif
