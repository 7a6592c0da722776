// facenet.cpp - builds dlib's face-recognition ResNet and fills its layer
// parameters from the TF.js weights (layout: ../shared/reference/face-model.md,
// summarised in docs/VISION.md). Exposes the C interface of facenet.h.
// No logging here (log.h is C only): errors go back as codes and messages.
extern "C" {
#include "vision/facenet.h"
#include "firmware/core/err.h"
}

#include <dlib/dnn.h>
#include <jansson.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

using namespace dlib;

namespace {

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;

template <int N, typename SUBNET> using ares = relu<residual<block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block, N, affine, SUBNET>>;

template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;

using anet_type = loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<
    alevel4<max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

// One manifest entry, dequantised.
struct Entry {
    std::string name;
    std::vector<long> shape;
    std::vector<float> v;
};

// Parameter tensors of the net in input-to-output order.
struct Layer {
    enum Kind { CON, AFFINE, FC } kind;
    float *p;             // con/fc: all parameters; affine: gamma
    size_t psize;
    float *beta;          // affine only
    long k, nr, nc;       // con: out, h, w
};

struct Collect {
    std::vector<Layer> *out;
    template <long nf, long nr, long nc, int sy, int sx, int py, int px>
    void operator()(con_<nf, nr, nc, sy, sx, py, px> &l) {
        tensor &t = l.get_layer_params();
        out->push_back({Layer::CON, t.host(), t.size(), nullptr, nf, nr, nc});
    }
    void operator()(affine_ &l) {
        // affine_ hides gamma/beta from get_layer_params (they are not trained)
        auto g = l.get_gamma();
        auto b = l.get_beta();
        out->push_back({Layer::AFFINE, g.host(), g.size(), b.host(), 0, 0, 0});
    }
    template <unsigned long n, fc_bias_mode b>
    void operator()(fc_<n, b> &l) {
        tensor &t = l.get_layer_params();
        out->push_back({Layer::FC, t.host(), t.size(), nullptr, (long)n, 0, 0});
    }
    template <typename T> void operator()(T &) {}
};

struct SetConvMode {
    void operator()(affine_ &l) { l = affine_(CONV_MODE); }
    template <typename T> void operator()(T &) {}
};

int load_entries(const char *bin_path, const char *manifest_path, std::vector<Entry> &out, char *err,
                 size_t errlen) {
    json_error_t je;
    json_t *root = json_load_file(manifest_path, 0, &je);
    if (!root) {
        snprintf(err, errlen, "%s: %s", manifest_path, je.text);
        return GR_ERR_FORMAT;
    }
    FILE *f = fopen(bin_path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", bin_path, strerror(errno));
        json_decref(root);
        return errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    }
    int rc = GR_OK;
    size_t gi, wi;
    json_t *group, *w;
    if (!json_is_array(root)) {
        snprintf(err, errlen, "%s: not a list of weight groups", manifest_path);
        rc = GR_ERR_FORMAT;
        goto out;
    }
    json_array_foreach(root, gi, group) {
        json_t *ws = json_object_get(group, "weights");
        if (!json_is_array(ws)) {
            snprintf(err, errlen, "%s: group %zu has no weights", manifest_path, gi);
            rc = GR_ERR_FORMAT;
            goto out;
        }
        json_array_foreach(ws, wi, w) {
            Entry e;
            const char *name = json_string_value(json_object_get(w, "name"));
            json_t *shape = json_object_get(w, "shape");
            if (!name || !json_is_array(shape) || json_array_size(shape) > 4) {
                snprintf(err, errlen, "%s: weight %zu: bad name/shape", manifest_path, wi);
                rc = GR_ERR_FORMAT;
                goto out;
            }
            e.name = name;
            size_t n = 1, si;
            json_t *d;
            json_array_foreach(shape, si, d) {
                json_int_t x = json_integer_value(d);
                if (x <= 0 || x > 65536) {
                    snprintf(err, errlen, "%s: %s: bad shape", manifest_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
                e.shape.push_back((long)x);
                n *= (size_t)x;
                if (n > (size_t)1 << 26) {
                    snprintf(err, errlen, "%s: %s: too large", manifest_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
            }
            e.v.resize(n);
            json_t *q = json_object_get(w, "quantization");
            if (q) {
                const char *qt = json_string_value(json_object_get(q, "dtype"));
                if (!qt || strcmp(qt, "uint8") != 0) {
                    snprintf(err, errlen, "%s: %s: unsupported quantization", manifest_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
                double scale = json_number_value(json_object_get(q, "scale"));
                double mn = json_number_value(json_object_get(q, "min"));
                std::vector<unsigned char> raw(n);
                if (fread(raw.data(), 1, n, f) != n) {
                    snprintf(err, errlen, "%s: ends inside %s", bin_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
                for (size_t i = 0; i < n; i++) e.v[i] = (float)(raw[i] * scale + mn);
            } else {
                const char *dt = json_string_value(json_object_get(w, "dtype"));
                if (!dt || strcmp(dt, "float32") != 0) {
                    snprintf(err, errlen, "%s: %s: unsupported dtype", manifest_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
                std::vector<unsigned char> raw(n * 4);
                if (fread(raw.data(), 1, n * 4, f) != n * 4) {
                    snprintf(err, errlen, "%s: ends inside %s", bin_path, name);
                    rc = GR_ERR_FORMAT;
                    goto out;
                }
                for (size_t i = 0; i < n; i++) {
                    uint32_t u = (uint32_t)raw[4 * i] | (uint32_t)raw[4 * i + 1] << 8 |
                                 (uint32_t)raw[4 * i + 2] << 16 | (uint32_t)raw[4 * i + 3] << 24;
                    float fv;
                    memcpy(&fv, &u, 4);
                    e.v[i] = fv;
                }
            }
            out.push_back(std::move(e));
        }
    }
    if (fgetc(f) != EOF) {
        snprintf(err, errlen, "%s: longer than its manifest says", bin_path);
        rc = GR_ERR_FORMAT;
    }
out:
    fclose(f);
    json_decref(root);
    return rc;
}

bool fits(const Entry &e, size_t n) { return e.v.size() == n; }

int fill(anet_type &net, const std::vector<Entry> &es, char *err, size_t errlen) {
    std::vector<Layer> layers;
    visit_computational_layers(net, Collect{&layers});
    // visit order is output to input; the manifest is input to output
    std::reverse(layers.begin(), layers.end());
    size_t ei = 0;
    for (const Layer &l : layers) {
        float *p = l.p;
        size_t psize = l.psize;
        if (l.kind == Layer::CON) {
            if (ei + 2 > es.size()) goto short_;
            const Entry &f = es[ei], &b = es[ei + 1];
            long k = l.k, nr = l.nr, nc = l.nc;
            long in = (long)(psize - (size_t)k) / (k * nr * nc);
            if (f.shape.size() != 4 || f.shape[0] != nr || f.shape[1] != nc || f.shape[2] != in ||
                f.shape[3] != k || !fits(b, (size_t)k) || psize != (size_t)(k * in * nr * nc + k)) {
                snprintf(err, errlen, "weights %s do not fit conv layer %ldx%ldx%ldx%ld", f.name.c_str(), k, in,
                         nr, nc);
                return GR_ERR_FORMAT;
            }
            // TF [h][w][in][out] -> dlib [out][in][h][w]
            for (long o = 0; o < k; o++)
                for (long i = 0; i < in; i++)
                    for (long y = 0; y < nr; y++)
                        for (long x = 0; x < nc; x++)
                            p[((o * in + i) * nr + y) * nc + x] = f.v[((y * nc + x) * in + i) * k + o];
            memcpy(p + k * in * nr * nc, b.v.data(), (size_t)k * sizeof(float));
            ei += 2;
        } else if (l.kind == Layer::AFFINE) {
            if (ei + 2 > es.size()) goto short_;
            const Entry &g = es[ei], &b = es[ei + 1];
            size_t k = psize;
            if (k == 0 || !fits(g, k) || !fits(b, k)) {
                snprintf(err, errlen, "weights %s do not fit affine layer of %zu channels", g.name.c_str(), k);
                return GR_ERR_FORMAT;
            }
            memcpy(p, g.v.data(), k * sizeof(float));
            memcpy(l.beta, b.v.data(), k * sizeof(float));
            ei += 2;
        } else {
            if (ei + 1 > es.size()) goto short_;
            const Entry &w = es[ei];
            if (!fits(w, psize) || w.shape.size() != 2 || w.shape[1] != l.k) {
                snprintf(err, errlen, "weights %s do not fit the fc layer", w.name.c_str());
                return GR_ERR_FORMAT;
            }
            memcpy(p, w.v.data(), psize * sizeof(float));
            ei += 1;
        }
    }
    if (ei != es.size()) {
        snprintf(err, errlen, "manifest has %zu weights, the network uses %zu", es.size(), ei);
        return GR_ERR_FORMAT;
    }
    return GR_OK;
short_:
    snprintf(err, errlen, "manifest has too few weights (%zu) for the network", es.size());
    return GR_ERR_FORMAT;
}

}  // namespace

// OpenBLAS (dlib's BLAS here) would start a thread per core for every call;
// it is kept serial unless vision.threads asks for more (vis_net_set_threads).
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

extern "C" int vis_net_set_threads(int n) {
    if (!openblas_set_num_threads) return 0;
    n = n < 1 ? 1 : n > 16 ? 16 : n;
    openblas_set_num_threads(n);
    return n;
}

struct vis_net {
    anet_type net;
    std::vector<matrix<rgb_pixel>> batch;
};

extern "C" int vis_net_open(const char *bin_path, const char *manifest_path, vis_net_t **out, char *err,
                            size_t errlen) {
    *out = nullptr;
    std::vector<Entry> es;
    int rc = load_entries(bin_path, manifest_path, es, err, errlen);
    if (rc != GR_OK) return rc;
    vis_net *n = nullptr;
    if (openblas_set_num_threads) openblas_set_num_threads(1);
    try {
        n = new vis_net();
        visit_computational_layers(n->net, SetConvMode{});
        // One forward pass makes every layer allocate its parameters.
        matrix<rgb_pixel> dummy(VIS_CHIP_SIZE, VIS_CHIP_SIZE);
        assign_all_pixels(dummy, rgb_pixel(0, 0, 0));
        (void)n->net(dummy);
        rc = fill(n->net, es, err, errlen);
    } catch (const std::bad_alloc &) {
        snprintf(err, errlen, "out of memory building the face network");
        rc = GR_ERR_NOMEM;
    } catch (const std::exception &e) {
        snprintf(err, errlen, "face network: %s", e.what());
        rc = GR_ERR_FORMAT;
    }
    if (rc != GR_OK) {
        delete n;
        return rc;
    }
    *out = n;
    return GR_OK;
}

extern "C" void vis_net_close(vis_net_t *net) { delete net; }

extern "C" int vis_net_embed(vis_net_t *net, const unsigned char *chips, int n, float *out) {
    if (!net || !chips || !out || n <= 0) return GR_ERR_INVAL;
    try {
        net->batch.resize((size_t)n);
        const size_t sz = (size_t)VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3;
        for (int i = 0; i < n; i++) {
            matrix<rgb_pixel> &m = net->batch[(size_t)i];
            m.set_size(VIS_CHIP_SIZE, VIS_CHIP_SIZE);
            memcpy(&m(0, 0), chips + (size_t)i * sz, sz);
        }
        std::vector<matrix<float, 0, 1>> d = net->net(net->batch, (size_t)n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < FMT_DESC_DIM; j++) out[(size_t)i * FMT_DESC_DIM + (size_t)j] = d[(size_t)i](j);
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

extern "C" float vis_desc_distance(const float *a, const float *b) {
    float s = 0;
    for (int i = 0; i < FMT_DESC_DIM; i++) {
        float d = a[i] - b[i];
        s += d * d;
    }
    return std::sqrt(s);
}
