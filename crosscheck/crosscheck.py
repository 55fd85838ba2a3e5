"""Cross-check the snippets' parameter counts against PyTorch and Hugging Face.

Every model is built from a config written here (nothing is downloaded), the large
ones on the meta device (shapes only, no memory), and its parameters are counted
with sum(p.numel() for p in model.parameters()). The snippets' `results` are read
with runpy, as the site build does, and compared value by value. The pinned values
in tests/expected_results.json are compared with the snippets too.

usage: python crosscheck/crosscheck.py   (with the packages in crosscheck/requirements.txt)
exit status 0 when everything agrees, 1 on any difference.
"""
import contextlib
import functools
import io
import json
import math
import runpy
import sys
import warnings
from pathlib import Path

import torch
from torch import nn

warnings.filterwarnings("ignore")

import transformers  # noqa: E402
from transformers import (  # noqa: E402
    BertConfig,
    BertModel,
    GPT2Config,
    GPT2LMHeadModel,
    GPT2Model,
    LlamaConfig,
    LlamaForCausalLM,
    MistralConfig,
    MistralForCausalLM,
    MixtralConfig,
    MixtralForCausalLM,
)

transformers.logging.set_verbosity_error()

try:  # peft is pinned in requirements.txt; without it LoRA is counted from module shapes
    import peft
    from peft import LoraConfig, get_peft_model
except ImportError:  # pragma: no cover
    peft = None

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
PINNED = ROOT / "tests" / "expected_results.json"


def n_params(module):
    """Parameters of a module; shared (tied) tensors are counted once, as HF does."""
    return sum(p.numel() for p in module.parameters())


def on_meta(build):
    with torch.device("meta"):
        return build()


# ---------------------------------------------------------------- small layers

def fw_dense_layer():
    layer = nn.Linear(1000, 500)
    return {
        "inputs": layer.in_features,
        "outputs": layer.out_features,
        "weights": layer.weight.numel(),
        "biases": layer.bias.numel(),
        "total": n_params(layer),
    }


def fw_linear_regression():
    model = nn.Linear(1, 1)  # y = m x + b
    x = torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    y = torch.tensor([1.1, 2.9, 5.2, 6.8, 9.1], dtype=torch.float64)
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    m, b = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1).tolist()
    return {"parameters": n_params(model), "fitted_slope": round(m, 4), "fitted_intercept": round(b, 4)}


def fw_conv2d_rgb():
    conv = nn.Conv2d(3, 64, kernel_size=3)
    return {
        "weights_per_filter": conv.weight[0].numel(),
        "weights": conv.weight.numel(),
        "biases": conv.bias.numel(),
        "total": n_params(conv),
    }


def fw_lstm_layer():
    lstm = nn.LSTM(input_size=128, hidden_size=256, num_layers=1)
    weights = sum(p.numel() for n, p in lstm.named_parameters() if n.startswith("weight"))
    biases = sum(p.numel() for n, p in lstm.named_parameters() if n.startswith("bias"))
    single_bias = n_params(nn.LSTM(input_size=128, hidden_size=256, bias=False)) + lstm.bias_ih_l0.numel()
    return {"weights": weights, "biases": biases, "total": n_params(lstm), "total_single_bias": single_bias}


def fw_embedding_table():
    emb = on_meta(lambda: nn.Embedding(50257, 768))
    out = {"vocab_size": emb.num_embeddings, "dimension": emb.embedding_dim, "total": n_params(emb)}
    # The token tables of the real architectures, from their configurations.
    bert = on_meta(lambda: BertModel(BertConfig(vocab_size=30522, hidden_size=768, num_hidden_layers=1,
                                                num_attention_heads=12, intermediate_size=3072)))
    llama3 = LlamaConfig(vocab_size=128256, hidden_size=4096, num_hidden_layers=1, num_attention_heads=32,
                         num_key_value_heads=8, intermediate_size=14336, tie_word_embeddings=False)
    tables = {
        "bert_base": bert.embeddings.word_embeddings,
        "llama2_7b": llama_model("7b").get_input_embeddings(),
        "llama3_8b": on_meta(lambda: LlamaForCausalLM(llama3)).get_input_embeddings(),
        "gpt3": gpt3_175b()[0].wte,
    }
    for name, table in tables.items():
        out[f"vocab_{name}"] = table.num_embeddings
        out[f"total_{name}"] = n_params(table)
    out["llama3_vs_llama2"] = out["total_llama3_8b"] / out["total_llama2_7b"]
    return out


# ---------------------------------------------------------------- GPT-2 family

GPT2_SMALL = dict(vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12)
GPT3_175B = dict(vocab_size=50257, n_positions=2048, n_embd=12288, n_layer=96, n_head=96)


def fw_transformer_block():
    model = on_meta(lambda: GPT2Model(GPT2Config(**GPT2_SMALL)))
    block = model.h[0]
    return {
        "attention": n_params(block.attn),
        "mlp": n_params(block.mlp),
        "layernorm": n_params(block.ln_1) + n_params(block.ln_2),
        "total": n_params(block),
    }


def gpt2_style(cfg):
    base = on_meta(lambda: GPT2Model(GPT2Config(**cfg)))
    lm = on_meta(lambda: GPT2LMHeadModel(GPT2Config(**cfg)))  # tied head
    assert lm.lm_head.weight is lm.transformer.wte.weight, "head should be tied"
    assert n_params(lm) == n_params(base)
    return base, lm


@functools.cache
def gpt3_175b():
    """GPT-3 175B's base model and LM on the meta device, built once for the three cross-checks that count it."""
    return gpt2_style(GPT3_175B)


def fw_gpt2_small():
    base, lm = gpt2_style(GPT2_SMALL)
    untied = on_meta(lambda: GPT2LMHeadModel(GPT2Config(**GPT2_SMALL, tie_word_embeddings=False)))
    return {
        "token_embeddings": n_params(base.wte),
        "position_embeddings": n_params(base.wpe),
        "per_block": n_params(base.h[0]),
        "blocks": n_params(base.h),
        "final_layernorm": n_params(base.ln_f),
        "total": n_params(lm),
        "total_if_untied": n_params(untied),
    }


def fw_gpt3_175b():
    base, lm = gpt3_175b()
    return {
        "token_embeddings": n_params(base.wte),
        "position_embeddings": n_params(base.wpe),
        "per_block": n_params(base.h[0]),
        "blocks": n_params(base.h),
        "final_layernorm": n_params(base.ln_f),
        "total": n_params(lm),
    }


def fw_bert_base():
    cfg = BertConfig(vocab_size=30522, max_position_embeddings=512, type_vocab_size=2,
                     hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072)
    model = on_meta(lambda: BertModel(cfg))  # with the pooler, as bert-base-uncased
    no_pooler = on_meta(lambda: BertModel(cfg, add_pooling_layer=False))
    return {
        "embeddings": n_params(model.embeddings),
        "per_layer": n_params(model.encoder.layer[0]),
        "encoder": n_params(model.encoder),
        "pooler": n_params(model.pooler),
        "total": n_params(model),
        "total_without_pooler": n_params(no_pooler),
    }


# ---------------------------------------------------------------- Llama 2, Mixtral

LLAMA2 = {
    "7b": dict(hidden_size=4096, num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=32,
               intermediate_size=11008),
    "13b": dict(hidden_size=5120, num_hidden_layers=40, num_attention_heads=40, num_key_value_heads=40,
                intermediate_size=13824),
    "70b": dict(hidden_size=8192, num_hidden_layers=80, num_attention_heads=64, num_key_value_heads=8,
                intermediate_size=28672),
}


def llama_config(size, **override):
    return LlamaConfig(vocab_size=32000, tie_word_embeddings=False, **{**LLAMA2[size], **override})


def llama_model(size, **override):
    return on_meta(lambda: LlamaForCausalLM(llama_config(size, **override)))


_llama_totals = {}


def llama_total(size):
    if size not in _llama_totals:
        _llama_totals[size] = n_params(llama_model(size))
    return _llama_totals[size]


def fw_llama2():
    out = {f"total_{s}": llama_total(s) for s in LLAMA2}
    out["total_70b_without_gqa"] = n_params(llama_model("70b", num_key_value_heads=64))
    return out


def mixtral_config(**override):
    cfg = dict(vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
               num_attention_heads=32, num_key_value_heads=8, num_local_experts=8, num_experts_per_tok=2,
               tie_word_embeddings=False)
    return MixtralConfig(**{**cfg, **override})


def fw_mixtral_8x7b():
    cfg = mixtral_config()
    model = on_meta(lambda: MixtralForCausalLM(cfg))
    total = n_params(model)
    unused = cfg.num_local_experts - cfg.num_experts_per_tok
    per_expert = []
    unused_params = 0
    for layer in model.model.layers:
        experts = n_params(layer.mlp.experts)  # all experts of the layer (fused tensors)
        assert experts % cfg.num_local_experts == 0
        per_expert.append(experts // cfg.num_local_experts)
        unused_params += unused * per_expert[-1]
    assert len(set(per_expert)) == 1
    # The dense model of the same shape, one MLP per layer and no router: Mistral 7B.
    dense = on_meta(lambda: MistralForCausalLM(MistralConfig(
        vocab_size=cfg.vocab_size, hidden_size=cfg.hidden_size, intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.num_hidden_layers, num_attention_heads=cfg.num_attention_heads,
        num_key_value_heads=cfg.num_key_value_heads, tie_word_embeddings=False)))
    all_experts = sum(n_params(layer.mlp.experts) for layer in model.model.layers)
    return {
        "expert_per_layer": per_expert[0],
        "shared": total - all_experts,
        "total": total,
        "active_per_token": total - unused_params,
        "dense_one_expert": n_params(dense),
        "naive_8x_dense": cfg.num_local_experts * n_params(dense),
    }


# ---------------------------------------------------------------- LoRA

LORA_RANKS = (1, 2, 4, 8, 16, 64)


def peft_trainable(size, r, targets):
    """Trainable parameters that peft's LoRA adds to a Llama model (meta device)."""
    def build():
        model = LlamaForCausalLM(llama_config(size))
        cfg = LoraConfig(r=r, lora_alpha=r, target_modules=list(targets), lora_dropout=0.0, bias="none")
        return get_peft_model(model, cfg)
    model = on_meta(build)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def shape_lora(linears, r):
    """LoRA A (r x in) and B (out x r) for each (in_features, out_features)."""
    return sum(r * d_in + d_out * r for d_in, d_out in linears)


def llama_lora(size, r, targets):
    if peft is not None:
        return peft_trainable(size, r, targets)
    model = llama_model(size)
    linears = [(m.in_features, m.out_features) for n, m in model.named_modules()
               if isinstance(m, nn.Linear) and n.rsplit(".", 1)[-1] in targets]
    return shape_lora(linears, r)


def gpt3_attention_linears(parts):
    """GPT-2/3 fuse W_q, W_k, W_v into one Conv1D c_attn (weight in x 3*out): split it."""
    model = on_meta(lambda: GPT2Model(GPT2Config(**GPT3_175B)))
    linears = []
    for block in model.h:
        d_in, fused_out = block.attn.c_attn.weight.shape  # Conv1D stores (in, out)
        d_out = fused_out // 3
        for part in parts:
            if part == "o":
                linears.append(tuple(block.attn.c_proj.weight.shape))
            else:
                linears.append((d_in, d_out))
    return linears


def fw_lora():
    out = {"llama2_7b_full": llama_total("7b"), "gpt3_full": n_params(on_meta(
        lambda: GPT2LMHeadModel(GPT2Config(**GPT3_175B))))}
    qv = gpt3_attention_linears("qv")
    for r in LORA_RANKS:
        out[f"llama2_7b_r{r}"] = llama_lora("7b", r, ("q_proj", "v_proj"))
        out[f"gpt3_r{r}"] = shape_lora(qv, r)
    for r in LORA_RANKS:
        out[f"llama2_7b_r{r}_share"] = out[f"llama2_7b_r{r}"] / out["llama2_7b_full"]
        out[f"gpt3_r{r}_share"] = out[f"gpt3_r{r}"] / out["gpt3_full"]
    out["gpt3_wv_only_r2"] = shape_lora(gpt3_attention_linears("v"), 2)
    out["gpt3_qkvo_r4"] = shape_lora(gpt3_attention_linears("qkvo"), 4)
    qkvo = ("q_proj", "k_proj", "v_proj", "o_proj")
    out["llama2_7b_qkvo_r1"] = llama_lora("7b", 1, qkvo)
    out["llama2_7b_qkvo_r2"] = llama_lora("7b", 2, qkvo)
    return out


# ---------------------------------------------------------------- weight memory

def fw_weight_memory():
    # Bits per parameter from torch's own dtypes; int4 packs two values per byte.
    bits = {"fp32": torch.finfo(torch.float32).bits, "fp16": torch.finfo(torch.float16).bits,
            "int8": torch.iinfo(torch.int8).bits, "int4": 4}
    assert torch.finfo(torch.bfloat16).bits == bits["fp16"]
    out = {}
    for size in ("7b", "70b"):
        params = llama_total(size)
        out[f"llama2_{size}_params"] = params
        for fmt, b in bits.items():
            out[f"llama2_{size}_{fmt}_bytes"] = params * b // 8
        # Mixed-precision Adam, from the tensors torch.optim.Adam keeps (exp_avg, exp_avg_sq) for an fp32
        # master parameter, plus bf16 weights and gradients.
        master = torch.zeros(1, dtype=torch.float32, requires_grad=True)
        master.grad = torch.zeros_like(master)
        adam = torch.optim.Adam([master])
        adam.step()
        state = [tensor for tensor in adam.state[master].values() if tensor.dim() > 0]
        per_parameter = (master.element_size() + sum(tensor.element_size() for tensor in state)
                         + 2 * torch.zeros(1, dtype=torch.bfloat16).element_size())
        out[f"llama2_{size}_adam_mixed_bytes"] = params * per_parameter
    return out


# ---------------------------------------------------------------- key-value cache

def cache_bytes(size, tokens, **override):
    """Bytes of the cache that a real forward pass of Llama 2 leaves (transformers' DynamicCache), on the meta
    device in fp16: every layer's key and value tensors, their shapes from the model itself."""
    with torch.device("meta"):
        model = LlamaForCausalLM(llama_config(size, **override)).to(torch.float16)
        cache = model(input_ids=torch.zeros((1, tokens), dtype=torch.long), use_cache=True).past_key_values
    tensors = [tensor for layer in cache.layers for tensor in (layer.keys, layer.values)]
    return sum(tensor.numel() * tensor.element_size() for tensor in tensors)


def fw_kv_cache():
    context = 4096  # Llama 2's context window (Touvron et al. 2023)
    out = {"bytes_per_value": torch.finfo(torch.float16).bits // 8}
    for size in ("7b", "70b"):
        out[f"bytes_per_token_{size}"] = cache_bytes(size, 1)
        out[f"bytes_full_context_{size}"] = cache_bytes(size, context)
    out["bytes_per_token_70b_without_gqa"] = cache_bytes("70b", 1, num_key_value_heads=64)
    out["bytes_full_context_70b_without_gqa"] = cache_bytes("70b", context, num_key_value_heads=64)
    out["gqa_saving_70b"] = out["bytes_per_token_70b_without_gqa"] // out["bytes_per_token_70b"]
    return out


# ---------------------------------------------------------------- training compute, softmax

def flops_per_weight_per_token(tokens=8, width=64):
    """What PyTorch's own FLOP counter charges one weight of a dense layer per token, forward and backward
    (the gradient with respect to the input as well as the weight, as in every layer but the first)."""
    from torch.utils.flop_counter import FlopCounterMode

    layer = nn.Linear(width, width, bias=False)
    inputs = torch.randn(tokens, width, requires_grad=True)
    with FlopCounterMode(display=False) as counter:
        layer(inputs).sum().backward()
    flops = counter.get_total_flops()
    assert flops % (tokens * width * width) == 0
    return flops // (tokens * width * width)


def fw_training_compute():
    # Inputs from the papers: tokens (Brown et al. 2020; Touvron et al. 2023, Table 1), Llama 2's A100 hours
    # (Table 2), the A100's bf16 peak, and Chinchilla's and Gopher's sizes (Hoffmann et al. 2022).
    tokens = {"gpt3": 300 * 10**9, "llama2_7b": 2 * 10**12, "llama2_70b": 2 * 10**12}
    gpu_hours = {"llama2_7b": 184_320, "llama2_70b": 1_720_320}
    peak = 312 * 10**12
    chinchilla, gopher = (70 * 10**9, 1_400 * 10**9), (280 * 10**9, 300 * 10**9)
    per_token = flops_per_weight_per_token()
    per_parameter = chinchilla[1] // chinchilla[0]
    parameters = {"gpt3": n_params(gpt3_175b()[1]),
                  "llama2_7b": llama_total("7b"), "llama2_70b": llama_total("70b")}
    out = {"flops_per_parameter_per_token": per_token, "a100_peak_flops": peak,
           "chinchilla_tokens_per_parameter": per_parameter,
           "chinchilla_data_vs_gopher": chinchilla[1] / gopher[1],
           "chinchilla_parameters_vs_gopher": chinchilla[0] / gopher[0]}
    for name, count in parameters.items():
        out[f"parameters_{name}"] = count
        out[f"tokens_{name}"] = tokens[name]
        out[f"flops_{name}"] = per_token * count * tokens[name]
        out[f"tokens_per_parameter_{name}"] = tokens[name] / count
        out[f"optimal_tokens_{name}"] = per_parameter * count
        out[f"tokens_vs_optimal_{name}"] = tokens[name] / (per_parameter * count)
    for name, hours in gpu_hours.items():
        out[f"gpu_hours_{name}"] = hours
        out[f"share_of_peak_{name}"] = out[f"flops_{name}"] / (hours * 3600 * peak)
    return out


def fw_softmax_vocab():
    model = llama_model("7b")
    vocab = model.config.vocab_size
    context = 4096  # Llama 2's context window
    with torch.device("meta"):
        logits = model(input_ids=torch.zeros((1, context), dtype=torch.long)).logits.float()
    uniform = torch.softmax(torch.zeros(vocab, dtype=torch.float64), dim=0)
    lead = torch.zeros(vocab, dtype=torch.float64)
    lead[0] = 10.0
    target = torch.tensor([0])
    return {
        "vocab": vocab,
        "uniform_probability": uniform[0].item(),
        "uniform_loss_nats": nn.functional.cross_entropy(torch.zeros((1, vocab), dtype=torch.float64), target).item(),
        "lead_10_probability": torch.softmax(lead, dim=0)[0].item(),
        "output_layer_parameters": n_params(model.lm_head),
        "logit_bytes_per_token_fp32": logits[0, 0].numel() * logits.element_size(),
        "logit_bytes_full_context_fp32": logits.numel() * logits.element_size(),
        "largest_safe_logit_fp16": math.log(torch.finfo(torch.float16).max),
        "largest_safe_logit_fp32": math.log(torch.finfo(torch.float32).max),
    }



def fw_sampling_temperature():
    logits = torch.tensor([2.0, 1.0, 0.0], dtype=torch.float64)
    out = {}
    for name, temperature in {"t1": 1.0, "t05": 0.5, "t2": 2.0}.items():
        for token, probability in enumerate(torch.softmax(logits / temperature, dim=0).tolist()):
            out[f"p{token}_{name}"] = probability
    return out

FRAMEWORK = {
    "dense_layer": fw_dense_layer,
    "linear_regression": fw_linear_regression,
    "conv2d_rgb": fw_conv2d_rgb,
    "lstm_layer": fw_lstm_layer,
    "embedding_table": fw_embedding_table,
    "transformer_block": fw_transformer_block,
    "gpt2_small": fw_gpt2_small,
    "bert_base": fw_bert_base,
    "gpt3_175b": fw_gpt3_175b,
    "llama2": fw_llama2,
    "mixtral_8x7b": fw_mixtral_8x7b,
    "lora": fw_lora,
    "gpt4_moe_report": None,  # reported (unconfirmed) figures: no model to build
    "closed_model_estimates": None,  # reported (unconfirmed) figures: no model to build
    "weight_memory": fw_weight_memory,
    "kv_cache": fw_kv_cache,
    "training_compute": fw_training_compute,
    "softmax_vocab": fw_softmax_vocab,
    "sampling_temperature": fw_sampling_temperature,
}


# ---------------------------------------------------------------- comparison

def snippet_results(name):
    with contextlib.redirect_stdout(io.StringIO()):
        ns = runpy.run_path(str(SNIPPETS / f"{name}.py"), run_name="__main__")
    return ns["results"]


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,}" if isinstance(v, int) else f"{v:.10g}"


def main():
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"peft {peft.__version__ if peft else 'not installed (LoRA from module shapes)'}")
    problems = 0
    names = sorted(p.stem for p in SNIPPETS.glob("*.py"))
    missing = sorted(set(names) - set(FRAMEWORK))
    for name in missing:
        print(f"no cross-check written for snippet {name}")
    problems += len(missing)

    rows, all_results = [], {}
    for name in names:
        res = snippet_results(name)
        all_results[name] = res
        build = FRAMEWORK.get(name)
        fw = build() if build else {}
        for key, value in res.items():
            if key in fw:
                ok = same(value, fw[key])
                problems += not ok
                rows.append((f"{name}.{key}", fmt(value), fmt(fw[key]), "OK" if ok else "DIFF"))
            else:
                rows.append((f"{name}.{key}", fmt(value), "-", "n/a"))
        for key in sorted(set(fw) - set(res)):
            problems += 1
            rows.append((f"{name}.{key}", "missing", fmt(fw[key]), "DIFF"))

    widths = [max(len(r[i]) for r in rows + [("snippet.result", "snippet", "framework", "")])
              for i in range(3)]
    print(f"{'snippet.result':<{widths[0]}}  {'snippet':>{widths[1]}}  {'framework':>{widths[2]}}  check")
    for r in rows:
        print(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")
    print("n/a: no framework counterpart (reported figures, or inputs of the example)")

    # The pinned values must be exactly what the snippets produce (same types too).
    pinned = json.loads(PINNED.read_text()) if PINNED.exists() else None
    if pinned is None:
        print(f"{PINNED.relative_to(ROOT)}: missing")
        problems += 1
    else:
        diffs = []
        for name in sorted(set(pinned) | set(all_results)):
            p, s = pinned.get(name, {}), all_results.get(name, {})
            for key in sorted(set(p) | set(s)):
                a, b = p.get(key), s.get(key)
                if a is None or b is None or type(a) is not type(b) or a != b:
                    diffs.append(f"  {name}.{key}: pinned {a!r}, snippet {b!r}")
        problems += len(diffs)
        n = sum(len(v) for v in pinned.values())
        print(f"{PINNED.relative_to(ROOT)}: {n} pinned values, {len(diffs)} differ from the snippets")
        if diffs:
            print("\n".join(diffs))

    compared = sum(r[3] in ("OK", "DIFF") for r in rows)
    print(f"{compared - sum(r[3] == 'DIFF' for r in rows)} of {compared} snippet results agree with "
          f"the frameworks; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
