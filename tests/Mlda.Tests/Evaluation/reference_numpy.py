#!/usr/bin/env python3
"""Independent numpy/OpenCV computation of the KITTI Eigen protocol, written from
../shared/docs/reference/kitti-format.md sections 3 and 6 (monodepth2 semantics), used to produce the
expected values that the C# tests assert. Not used by the tests themselves (CI has no numpy).

usage: python3 reference_numpy.py gt DATA          -> sha256/stats of the eval GT of frames 0,3,6,9 and more
       python3 reference_numpy.py eval DATA        -> metrics of synthetic disparities (see make_disps)
"""
import hashlib
import os
import sys
from collections import Counter

import numpy as np

FOLDER = "2011_09_26/2011_09_26_drive_0002_sync"
FRAMES = [0, 3, 6, 9]


def read_calib(path):
    out = {}
    for line in open(path):
        key, value = line.split(":", 1)
        value = value.strip()
        try:
            out[key] = np.array([float(t) for t in value.split()])
        except ValueError:
            out[key] = value
    return out


def depth_map(calib_dir, bin_path, cam, vel_depth):
    c2c = read_calib(os.path.join(calib_dir, "calib_cam_to_cam.txt"))
    v2c = read_calib(os.path.join(calib_dir, "calib_velo_to_cam.txt"))
    velo2cam = np.eye(4)
    velo2cam[:3, :3] = v2c["R"].reshape(3, 3)
    velo2cam[:3, 3] = v2c["T"]
    h, w = c2c["S_rect_02"][::-1].astype(np.int32)
    rect = np.eye(4)
    rect[:3, :3] = c2c["R_rect_00"].reshape(3, 3)
    P = c2c["P_rect_0%d" % cam].reshape(3, 4) @ rect @ velo2cam
    pts = np.fromfile(bin_path, dtype=np.float32).reshape(-1, 4)
    pts[:, 3] = 1.0
    pts = pts[pts[:, 0] >= 0]
    im = (P @ pts.T).T
    uv = im[:, :2] / im[:, 2:3]
    z = pts[:, 0].astype(np.float64) if vel_depth else im[:, 2]
    u = np.round(uv[:, 0]) - 1
    v = np.round(uv[:, 1]) - 1
    ok = (u >= 0) & (v >= 0) & (u < w) & (v < h)
    u, v, z = u[ok].astype(np.int64), v[ok].astype(np.int64), z[ok]
    depth = np.zeros((h, w))
    depth[v, u] = z
    key = v * (w - 1) + u - 1  # monodepth2's non-unique sub2ind
    for k, n in Counter(key.tolist()).items():
        if n > 1:
            idx = np.where(key == k)[0]
            depth[v[idx[0]], u[idx[0]]] = z[idx].min()
    depth[depth < 0] = 0
    return depth.astype(np.float32)


def gt_maps(data):
    calib = os.path.join(data, FOLDER.split("/")[0])
    return [depth_map(calib, os.path.join(data, FOLDER, "velodyne_points", "data", "%010d.bin" % f), 2, True)
            for f in FRAMES]


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a, dtype=np.float32).tobytes()).hexdigest()


def cmd_gt(data):
    calib = os.path.join(data, FOLDER.split("/")[0])
    for f in FRAMES:
        for cam, vd in [(2, True), (2, False), (3, False)]:
            d = depth_map(calib, os.path.join(data, FOLDER, "velodyne_points", "data", "%010d.bin" % f), cam, vd)
            print(f"frame {f} cam {cam} vel_depth {vd}: nonzero {int((d > 0).sum())} sum {float(d.astype(np.float64).sum()):.6f} "
                  f"max {float(d.max()):.6f} sha256 {sha(d)}")


def make_disps(n, h, w):
    """Deterministic synthetic disparities, float32 (n, h, w), from +, *, / and % only, so that the C# test can
    rebuild them bit for bit: 0.02 + 0.3 (y/h)^2 + 0.01 ((37x + 11y + 101i) mod 97) / 97."""
    y, x = np.mgrid[0:h, 0:w]
    out = []
    for i in range(n):
        t = y / h
        d = 0.02 + 0.3 * (t * t) + 0.01 * (((37 * x + 11 * y + 101 * i) % 97) / 97.0)
        out.append(d)
    return np.stack(out).astype(np.float32)


def errors(gt, pred):
    thresh = np.maximum((gt / pred), (pred / gt))
    a1 = (thresh < 1.25).mean()
    a2 = (thresh < 1.25 ** 2).mean()
    a3 = (thresh < 1.25 ** 3).mean()
    rmse = np.sqrt(((gt - pred) ** 2).mean())
    rmse_log = np.sqrt(((np.log(gt) - np.log(pred)) ** 2).mean())
    abs_rel = np.mean(np.abs(gt - pred) / gt)
    sq_rel = np.mean(((gt - pred) ** 2) / gt)
    return abs_rel, sq_rel, rmse, rmse_log, a1, a2, a3


def evaluate(gts, disps, stereo, eigen=True):
    import cv2
    errs, ratios = [], []
    for gt, disp in zip(gts, disps):
        gh, gw = gt.shape
        pred = 1 / cv2.resize(disp, (gw, gh))
        if eigen:
            mask = (gt > 1e-3) & (gt < 80)
            c = np.array([0.40810811 * gh, 0.99189189 * gh, 0.03594771 * gw, 0.96405229 * gw]).astype(np.int32)
            crop = np.zeros(mask.shape)
            crop[c[0]:c[1], c[2]:c[3]] = 1
            mask = mask & (crop > 0)
        else:
            mask = gt > 0
        p, g = pred[mask], gt[mask]
        p *= 5.4 if stereo else 1
        if not stereo:
            r = np.median(g) / np.median(p)
            ratios.append(r)
            p *= r
        p[p < 1e-3] = 1e-3
        p[p > 80] = 80
        errs.append(errors(g, p))
    lines = []
    if not stereo:
        ratios = np.array(ratios)
        med = np.median(ratios)
        lines.append(" Scaling ratios | med: {:0.3f} | std: {:0.3f}".format(med, np.std(ratios / med)))
    mean = np.array(errs).mean(0)
    lines.append("\n  " + ("{:>8} | " * 7).format("abs_rel", "sq_rel", "rmse", "rmse_log", "a1", "a2", "a3"))
    lines.append(("&{: 8.3f}  " * 7).format(*mean.tolist()) + "\\\\")
    return mean, ratios, errs, lines


def post_process(l, r):
    _, h, w = l.shape
    m = 0.5 * (l + r)
    lgrid, _ = np.meshgrid(np.linspace(0, 1, w), np.linspace(0, 1, h))
    lmask = (1.0 - np.clip(20 * (lgrid - 0.05), 0, 1))[None, ...]
    rmask = lmask[:, :, ::-1]
    return rmask * l + lmask * r + (1.0 - lmask - rmask) * m


def cmd_eval(data):
    import cv2
    gts = gt_maps(data)
    disps = make_disps(len(gts), 192, 640)
    np.save("/tmp/kitti_ref_disps.npy", disps)
    print("disps sha256", sha(disps), "resized[0] sha256", sha(cv2.resize(disps[0], (1242, 375))))
    for stereo in (False, True):
        mean, ratios, errs, lines = evaluate(gts, disps, stereo)
        print("stereo" if stereo else "mono", repr(mean.tolist()))
        if not stereo:
            print("  ratios", repr([float(r) for r in ratios]))
        for i, e in enumerate(errs):
            print("  image", i, repr([float(v) for v in e]))
        print("\n".join(lines))
    # post-processing of a (disp, disp of flipped input) pair, with its flip undone by the evaluator
    flipped = make_disps(len(gts), 192, 640)[:, :, ::-1] * 1.1
    pp = post_process(disps, flipped[:, :, ::-1])
    np.save("/tmp/kitti_ref_disps_pp.npy", np.concatenate([disps, flipped]))
    print("pp sha256", sha(pp), "sum", float(pp.astype(np.float64).sum()))
    for stereo in (False, True):
        mean, ratios, _, lines = evaluate(gts, pp, stereo)  # float64, as monodepth2 leaves it
        print("pp stereo" if stereo else "pp mono", repr(mean.tolist()))
        if not stereo:
            print("  ratios", repr([float(r) for r in ratios]))
        print("\n".join(lines))


def validation_metric(depths, gts):
    """The training-time metric: clamp, mask gt > 0 in rows 153:371 cols 44:1197, pool the batch, one median ratio."""
    g_all, p_all = [], []
    for d, g in zip(depths, gts):
        d = np.clip(d, 1e-3, 80)
        m = np.zeros(g.shape, bool)
        m[153:371, 44:1197] = True
        m &= g > 0
        g_all.append(g[m])
        p_all.append(d[m])
    g, p = np.concatenate(g_all), np.concatenate(p_all)
    p = p * (np.median(g) / np.median(p))
    p = np.clip(p, 1e-3, 80)
    return errors(g, p)


def cmd_extra(data):
    import cv2
    gts = gt_maps(data)
    disps = make_disps(len(gts), 192, 640)
    depths = [1 / cv2.resize(disps[i], (1242, 375)) for i in range(2)]
    print("validation", repr([float(v) for v in validation_metric(depths, gts[:2])]))
    # another recording date's size: 376x1241 (2011_10_03), made from frame 3's map (cut one column, add a row of zeros)
    other = np.zeros((376, 1241), np.float32)
    other[:375, :] = gts[1][:, :1241]
    mixed = [gts[0], other]
    for stereo in (False, True):
        mean, ratios, _, lines = evaluate(mixed, disps[:2], stereo)
        print("mixed", "stereo" if stereo else "mono", repr(mean.tolist()), [float(r) for r in ratios] if not stereo else "")
    mean, ratios, _, _ = evaluate(gts, disps, False, eigen=False)
    print("valid-mask mono", repr(mean.tolist()))
    a = np.array([((i * 7919) % 1000) / 7.0 for i in range(20000)], dtype=np.float32)
    print("sum20000", repr(float(np.sum(a))), "mean", repr(float(np.mean(a))), "median", repr(float(np.median(a[:9999]))),
          repr(float(np.median(a[:10000]))), "std", repr(float(np.std(a))))


if __name__ == "__main__":
    {"gt": cmd_gt, "eval": cmd_eval, "extra": cmd_extra}[sys.argv[1]](sys.argv[2])
