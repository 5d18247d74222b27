"""Deterministic synthetic vault of mixed Chinese/English ML study notes, for benchmarks.

    python benchmarks/make_vault.py 1000                  # -> benchmarks/work/vault-1000/
    python benchmarks/make_vault.py 4000 --seed 7 --out /tmp/v

The same notes are written in three layouts, so every tool reads the same Markdown:

    <out>/mlnotes/notes/...        plain folder of notes (what `mlnotes build --notes` reads)
    <out>/hugo/                    hugo.toml, layouts/_default/{baseof,single,list}.html, content/...
    <out>/mkdocs/                  mkdocs.yml (built-in `mkdocs` theme), docs/...

The notes imitate a real study vault (see /work/shared/seed-notes/): about a third are
"collection" notes without front matter holding 3-8 `# ` topics, the others have one H1 or
front matter (title, tags, date). Text mixes Chinese and English; notes carry bare URLs,
`[[wikilinks]]` to other notes' titles, relative `[x](other.md)` links, checklists, fenced
code, inline `#tags`, sub-headings, lists, a few tables, quotes, remote images and math.
Sizes follow a log-normal distribution averaging about 3 KB (UTF-8 bytes).

Everything comes from `random.Random` seeded with `--seed`: the same N and seed give
byte-identical files. A stamp file makes a second call with the same parameters a no-op.
"""

from __future__ import annotations

import argparse
import json
import math
import posixpath
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1
HERE = Path(__file__).resolve().parent
STAMP = ".vault-stamp.json"

# ---------------------------------------------------------------- vocabulary

EN = [
    "LoRA",
    "QLoRA",
    "PPO",
    "DPO",
    "GRPO",
    "SFT",
    "RAG",
    "KV cache",
    "FlashAttention",
    "MoE",
    "Transformer",
    "self-attention",
    "softmax",
    "LayerNorm",
    "RMSNorm",
    "Adam",
    "AdamW",
    "cosine annealing",
    "warmup",
    "beam search",
    "top-p sampling",
    "tokenizer",
    "BPE",
    "embedding",
    "reranker",
    "vLLM",
    "DeepSpeed ZeRO",
    "Megatron-LM",
    "tensor parallelism",
    "pipeline parallelism",
    "quantization",
    "GPTQ",
    "AWQ",
    "distillation",
    "contrastive learning",
    "InfoNCE",
    "diffusion model",
    "U-Net",
    "ViT",
    "CLIP",
    "BERT",
    "GPT-2",
    "Llama 3",
    "Qwen2",
    "DeepSeek V3",
    "RoPE",
    "ALiBi",
    "gradient checkpointing",
    "mixed precision",
    "bf16",
    "XGBoost",
    "dropout",
    "batch norm",
    "cross entropy",
    "KL divergence",
    "reward model",
    "Q-learning",
    "DQN",
    "actor-critic",
    "GAE",
    "Triton",
    "CUDA",
    "TensorRT",
    "ONNX",
    "LangChain",
    "ragflow",
    "Dify",
    "BM25",
    "FAISS",
    "HNSW",
    "chunking",
    "prompt engineering",
    "Chain of Thought",
    "ReAct",
    "agent",
    "speculative decoding",
    "PagedAttention",
    "continuous batching",
    "scaling law",
    "perplexity",
    "BLEU",
    "ROUGE",
    "SAM 2",
    "FLUX",
    "Stable Diffusion",
    "Whisper",
    "LightGBM",
    "k-means",
    "PCA",
    "SVM",
    "GNN",
    "word2vec",
]

ZH = [
    "微调",
    "预训练",
    "强化学习",
    "梯度下降",
    "反向传播",
    "学习率",
    "损失函数",
    "注意力机制",
    "位置编码",
    "量化",
    "蒸馏",
    "检索增强生成",
    "向量数据库",
    "分词器",
    "奖励模型",
    "过拟合",
    "正则化",
    "梯度消失",
    "梯度爆炸",
    "显存",
    "推理加速",
    "多模态",
    "对比学习",
    "负样本",
    "重排",
    "召回",
    "知识图谱",
    "混合专家",
    "长上下文",
    "数据清洗",
    "评测集",
    "幻觉",
    "对齐",
    "指令微调",
    "思维链",
    "模型并行",
    "数据并行",
    "激活函数",
    "归一化",
    "采样策略",
    "退火阶段",
    "特征工程",
    "计算图",
    "优化器",
    "批大小",
    "收敛",
    "泛化能力",
    "文本分块",
]

TAGS = [
    "llm",
    "rl",
    "cv",
    "nlp",
    "infra",
    "rag",
    "paper",
    "interview",
    "math",
    "tools",
    "todo",
    "强化学习",
    "大模型",
    "推理",
    "面试",
    "多模态",
    "rl/ppo",
    "llm/finetune",
    "infra/gpu",
]

FOLDERS = [
    "",
    "",
    "llm",
    "llm",
    "rl",
    "cv",
    "infra",
    "rag",
    "papers/2023",
    "papers/2024",
    "interview",
    "math",
    "tools",
    "daily",
    "深度学习",
]

ZH_SENTENCES = [
    "{zh}是一种常用的方法，{zh2}之后效果明显提升。",
    "用{en}做{zh}的时候，需要注意{zh2}的问题。",
    "{en}的核心思想：把{zh}和{zh2}结合起来，减少显存占用。",
    "简单来说，{zh}就是在训练过程中逐步调整{zh2}。",
    "实验发现{en}在小数据集上容易{zh}，需要加{zh2}。",
    "面试常问：{en}和{en2}有什么区别？",
    "这里记录一下{en}的要点，以后再补充{zh}部分。",
    "{zh}的时候loss不下降，先检查{zh2}和学习率。",
    "参数量 {num}B 的模型，{zh}大概需要 {num2}G 显存。",
    "现在大家{zh}分成三个阶段：快速收敛阶段，稳定阶段，{zh2}。",
    "{en}（{zh}）决定了{zh2}的上限，与优化器协同工作。",
    "为啥{en}这条路线效果最好？一个原因是{zh}更充分。",
    "在{zh}阶段使用高质量数据，可以提升{zh2}的效率。",
    "随着数据、训练和参数的增长，{zh}会不断下降，这就是{en}。",
    "{en}在工业界用得很多，但是{zh}的成本不低。",
    "先跑通baseline，再考虑{en}和{zh}。",
]

EN_SENTENCES = [
    "{en} is a technique used to improve {en2} when training large models.",
    "The key idea of {en} is to trade extra compute for lower memory during {en2}.",
    "In practice, {en} works best together with {en2} and a careful warmup schedule.",
    "Note to self: compare {en} with {en2} on the same benchmark before drawing conclusions.",
    "{en} reduces the number of trainable parameters, which makes {en2} affordable on one GPU.",
    "What are some common pitfalls of {en}? Mostly data quality and a too large learning rate.",
    "The paper argues that {en} scales better than {en2} once the batch size is above {num2}k.",
    "{en} (a.k.a. {en2} in some papers) is the default choice for most open models.",
    "Rollout, evaluation and optimization: the three steps of fine-tuning with {en}.",
    "TODO: read the original {en} paper again and write down the loss function.",
]

LIST_ITEMS = [
    "{en}：{zh}",
    "{zh} vs {zh2}",
    "{en} / {en2}",
    "{zh}的常见问题",
    "{en} 的 {zh} 实现",
    "{en} for {zh}",
    "复现 {en}",
    "{num}B 模型 {zh}",
    "{zh}、{zh2}",
    "{en}, {en2}",
]

TITLE_PATTERNS = [
    "{en} 笔记",
    "{zh}入门",
    "{en} 与 {en2}",
    "{en}: {zh}",
    "关于{zh}的思考",
    "{en}",
    "{zh}",
    "{en} 原理",
    "{zh}总结",
    "{en} in practice",
    "{zh}和{zh2}",
    "? {zh}",
    "{en} 面试题",
]

PAPERS = [
    "Scaling Laws for Neural Language Models",
    "Attention Is All You Need",
    "Training language models to follow instructions with human feedback",
    "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
    "LoRA: Low-Rank Adaptation of Large Language Models",
    "Efficient Memory Management for Large Language Model Serving with PagedAttention",
    "To Repeat or Not To Repeat: Insights from Scaling LLM under Token-Crisis",
    "Math-shepherd: Verify and reinforce LLMs step-by-step without human annotations",
]

GH_USERS = ["huggingface", "lucidrains", "facebookresearch", "karpathy", "vllm-project", "microsoft", "THUDM", "QwenLM"]
GH_REPOS = [
    "trl",
    "peft",
    "transformers",
    "nanoGPT",
    "vllm",
    "DeepSpeed",
    "segment-anything-2",
    "denoising-diffusion-pytorch",
    "ChatGLM3",
    "Qwen2",
]
SLUG_WORDS = [
    "lora",
    "sft",
    "ppo",
    "dpo",
    "rag",
    "moe",
    "attention",
    "quant",
    "rl",
    "cuda",
    "agent",
    "vit",
    "clip",
    "bert",
    "gpt",
    "eval",
    "infra",
    "tokenizer",
    "embedding",
    "diffusion",
]

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# ---------------------------------------------------------------- model


@dataclass
class NotePlan:
    """One note before its body is written: where it lives and the names it can be linked by."""

    index: int
    rel: str  # posix path inside the vault, e.g. "rl/ppo-notes-0042.md"
    kind: str  # "collection" | "h1" | "fm"
    titles: list[str]  # collection: one per H1 topic; otherwise one
    target_bytes: int
    tags: list[str] = field(default_factory=list)
    date: str = ""


@dataclass
class VaultNote:
    rel: str
    text: str
    kind: str
    title: str  # the page title a Hugo front matter would use


# ---------------------------------------------------------------- text


def fill(rng: random.Random, pattern: str) -> str:
    en, en2 = rng.sample(EN, 2)
    zh, zh2 = rng.sample(ZH, 2)
    return pattern.format(
        en=en,
        en2=en2,
        zh=zh,
        zh2=zh2,
        num=rng.choice([1, 3, 7, 8, 13, 14, 32, 70]),
        num2=rng.choice([2, 4, 8, 16, 24, 40, 80]),
    )


def url(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return f"https://arxiv.org/abs/{rng.randint(17, 25)}{rng.randint(1, 12):02d}.{rng.randint(1000, 29999):05d}"
    if kind == 1:
        return f"https://github.com/{rng.choice(GH_USERS)}/{rng.choice(GH_REPOS)}"
    if kind == 2:
        return f"https://zhuanlan.zhihu.com/p/{rng.randint(10**8, 10**9 - 1)}"
    if kind == 3:
        return f"https://blog.csdn.net/weixin_{rng.randint(10**7, 10**8)}/article/details/{rng.randint(10**8, 10**9)}"
    if kind == 4:
        return f"https://huggingface.co/docs/transformers/{rng.choice(SLUG_WORDS)}"
    if kind == 5:
        return "https://www.bilibili.com/video/BV1" + "".join(rng.choice(ALNUM) for _ in range(9)) + "/"
    if kind == 6:
        return "https://www.youtube.com/watch?v=" + "".join(rng.choice(ALNUM) for _ in range(11))
    return f"https://developer.volcengine.com/articles/{rng.randint(10**18, 10**19 - 1)}"


class Writer:
    """Writes the body of one note; links to other notes are drawn from `plans`."""

    def __init__(self, rng: random.Random, plan: NotePlan, plans: list[NotePlan]):
        self.rng, self.plan, self.plans = rng, plan, plans
        # a few links per note, spread over its blocks
        self.wikilinks_left = rng.choice([0, 1, 1, 2, 2, 3, 4])
        self.mdlinks_left = rng.choice([0, 1, 1, 2, 3])

    def other(self) -> NotePlan:
        while True:
            p = self.plans[self.rng.randrange(len(self.plans))]
            if p.index != self.plan.index or len(self.plans) == 1:
                return p

    def wikilink(self) -> str:
        title = self.rng.choice(self.other().titles)
        if self.rng.random() < 0.2:
            return f"[[{title}|{self.rng.choice(ZH)}]]"
        return f"[[{title}]]"

    def mdlink(self) -> str:
        target = self.other()
        here = posixpath.dirname(self.plan.rel) or "."
        rel = posixpath.relpath(target.rel, here)
        return f"[{target.titles[0]}]({rel})"

    def maybe_link(self, p: float = 0.35) -> str:
        r = self.rng.random()
        if r < p and self.wikilinks_left:
            self.wikilinks_left -= 1
            return self.rng.choice(["相关：", "参见 ", "see ", "→ ", ""]) + self.wikilink()
        if r < p * 1.7 and self.mdlinks_left:
            self.mdlinks_left -= 1
            return self.rng.choice(["之前的笔记 ", "more in ", "见 ", ""]) + self.mdlink()
        return ""

    def sentence(self) -> str:
        rng = self.rng
        s = fill(rng, rng.choice(ZH_SENTENCES) if rng.random() < 0.62 else rng.choice(EN_SENTENCES))
        r = rng.random()
        if r < 0.12:
            s += f" {url(rng)} "
        elif r < 0.16:
            s = f"{s} 论文：{rng.choice(PAPERS)}"
        elif r < 0.19:
            s += " $\\Vert A+B \\Vert_{F}\\le \\Vert A \\Vert_F + \\Vert B \\Vert_F$"
        elif r < 0.23:
            s += f" #{rng.choice(TAGS)}"
        elif r < 0.25:
            s += " a<sub>i</sub>"
        return s

    def paragraph(self) -> str:
        rng = self.rng
        parts = [self.sentence() for _ in range(rng.randint(1, 4))]
        link = self.maybe_link()
        if link:
            parts.insert(rng.randrange(len(parts) + 1), link)
        text = "".join(p if p.endswith(("。", "？", " ")) else p + " " for p in parts).strip()
        if rng.random() < 0.08:
            text = " ".join("#" + t for t in rng.sample(TAGS, 2)) + "\n" + text
        return text

    def item(self) -> str:
        rng = self.rng
        text = fill(rng, rng.choice(LIST_ITEMS))
        r = rng.random()
        if r < 0.22:
            text += " " + url(rng)
        elif r < 0.3:
            text += "：" + fill(rng, rng.choice(ZH_SENTENCES))
        link = self.maybe_link(0.15)
        return f"{text} {link}".rstrip()

    def bullets(self) -> str:
        rng = self.rng
        lines = []
        for _ in range(rng.randint(3, 7)):
            lines.append(f"- {self.item()}")
            if rng.random() < 0.2:
                lines.append(f"  - {self.item()}")
        return "\n".join(lines)

    def numbered(self) -> str:
        return "\n".join(f"{i}. {self.item()}" for i in range(1, self.rng.randint(3, 6)))

    def checklist(self) -> str:
        rng = self.rng
        lines = []
        for _ in range(rng.randint(3, 10)):
            mark = rng.choice(["x", " ", " ", "x", "X"])
            lines.append(f"- [{mark}] {self.item()}")
            if rng.random() < 0.1:
                lines.append(f"    - [{rng.choice(['x', ' '])}] {self.item()}")
        return "\n".join(lines)

    def code(self) -> str:
        rng = self.rng
        kind = rng.randrange(4)
        name = rng.choice(SLUG_WORDS)
        if kind == 0:
            dim = rng.choice([64, 128, 256, 768, 1024, 4096])
            body = (
                "import torch\nfrom torch import nn\n\n\n"
                f"class {name.capitalize()}Block(nn.Module):\n"
                f"    def __init__(self, dim: int = {dim}, dropout: float = {rng.choice([0.0, 0.1, 0.2])}):\n"
                "        super().__init__()\n"
                "        self.proj = nn.Linear(dim, dim)\n"
                "        self.drop = nn.Dropout(dropout)\n\n"
                "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
                "        # softmax over the last dimension\n"
                "        return self.drop(torch.softmax(self.proj(x), dim=-1))\n"
            )
            return f"```python\n{body}```"
        if kind == 1:
            body = (
                f"pip install {rng.choice(['transformers', 'peft', 'trl', 'vllm', 'deepspeed', 'faiss-cpu'])}\n"
                f"CUDA_VISIBLE_DEVICES=0,1 torchrun --nproc_per_node=2 train_{name}.py \\\n"
                f"    --lr {rng.choice(['1e-4', '2e-5', '5e-6'])} --batch_size {rng.choice([8, 16, 32, 64])} "
                f"--epochs {rng.randint(1, 5)}\n"
            )
            return f"```bash\n{body}```"
        if kind == 2:
            body = (
                f"model: {rng.choice(['llama-3-8b', 'qwen2-7b', 'bert-base-chinese', 'vit-b-16'])}\n"
                f"lora:\n  r: {rng.choice([4, 8, 16, 64])}\n  alpha: {rng.choice([16, 32])}\n"
                "  target_modules: [q_proj, v_proj]\ntrain:\n"
                f"  lr: {rng.choice(['1e-4', '3e-4'])}\n  warmup_ratio: 0.03\n"
            )
            return f"```yaml\n{body}```"
        body = (
            f"def {name}_score(q, docs, k={rng.randint(3, 20)}):\n"
            "    scores = [(d, sim(q, d)) for d in docs]\n"
            "    return sorted(scores, key=lambda t: -t[1])[:k]\n"
        )
        return f"```\n{body}```"

    def table(self) -> str:
        rng = self.rng
        rows = ["| 方法 | 显存 | 备注 |", "|---|---|---|"]
        for _ in range(rng.randint(2, 5)):
            rows.append(f"| {rng.choice(EN)} | {rng.choice([2, 8, 16, 24, 80])}G | {rng.choice(ZH)} |")
        return "\n".join(rows)

    def block(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.46:
            return self.paragraph()
        if r < 0.62:
            return self.bullets()
        if r < 0.69:
            return self.checklist()
        if r < 0.78:
            return self.code()
        if r < 0.84:
            return self.numbered()
        if r < 0.87:
            return self.table()
        if r < 0.91:
            return "> " + self.sentence()
        if r < 0.93:
            return f"![image.png]({url(rng)}~tplv-watermark.image)"
        return url(rng)  # a bare URL on its own line, as in the real notes

    def section(self, budget: int, first_h2: bool) -> str:
        """Blocks (with an occasional `## ` sub-heading) until `budget` UTF-8 bytes."""
        rng = self.rng
        out: list[str] = []
        size = 0
        while size < budget:
            if (out or first_h2) and rng.random() < 0.13:
                level = "##" if rng.random() < 0.8 else "###"
                block = f"{level} {fill(rng, rng.choice(TITLE_PATTERNS))}"
            else:
                block = self.block()
            out.append(block)
            size += len(block.encode("utf-8")) + 2
        return "\n\n".join(out)

    def note(self) -> str:
        plan, rng = self.plan, self.rng
        if plan.kind == "collection":
            parts = []
            if rng.random() < 0.3:  # a short preamble before the first topic
                parts.append(self.paragraph())
            k = len(plan.titles)
            for title in plan.titles:
                parts.append(f"# {title}\n\n" + self.section(max(120, plan.target_bytes // k - 40), False))
            body = "\n\n".join(parts)
        elif plan.kind == "h1":
            body = f"# {plan.titles[0]}\n\n" + self.section(plan.target_bytes, False)
        else:
            fm = [
                "---",
                f"title: {json.dumps(plan.titles[0], ensure_ascii=False)}",
                "tags: [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in plan.tags) + "]",
                f"date: {plan.date}",
                "---",
            ]
            body = "\n".join(fm) + "\n\n" + self.section(plan.target_bytes, True)
        # links the blocks did not place go in a closing "related" list, as people often do
        extra = []
        while self.wikilinks_left:
            self.wikilinks_left -= 1
            extra.append(f"- {self.wikilink()}")
        while self.mdlinks_left:
            self.mdlinks_left -= 1
            extra.append(f"- {self.mdlink()}")
        if extra:
            body += "\n\n相关笔记：\n\n" + "\n".join(extra)
        return body + "\n"


# ---------------------------------------------------------------- vault


def plan_notes(n: int, seed: int) -> list[NotePlan]:
    """Paths, kinds, unique titles and sizes of `n` notes (the first k are the same for every n)."""
    rng = random.Random(f"plan-{seed}")
    used_titles: set[str] = set()
    used_paths: set[str] = set()

    def title() -> str:
        for _ in range(6):  # a fresh title if possible, else "title 2", "title 3", ...
            base = fill(rng, rng.choice(TITLE_PATTERNS))
            if base.casefold() not in used_titles:
                break
        t, i = base, 2
        while t.casefold() in used_titles:
            t, i = f"{base} {i}", i + 1
        used_titles.add(t.casefold())
        return t

    # log-normal sizes averaging ~3 KB: mean = exp(mu + sigma^2 / 2); notes overshoot their
    # target by about one block, hence the 2,600
    sigma = 0.75
    mu = math.log(2600) - sigma * sigma / 2
    plans = []
    for i in range(n):
        r = rng.random()
        kind = "collection" if r < 1 / 3 else ("h1" if r < 2 / 3 else "fm")
        titles = [title() for _ in range(rng.randint(3, 8) if kind == "collection" else 1)]
        folder = rng.choice(FOLDERS)
        if rng.random() < 0.12:
            stem = titles[0].replace(" ", "").replace(":", "").replace("?", "")[:12] + f"-{i}"
        else:
            words = [w for w in titles[0].replace(":", " ").split() if w.isascii() and w.isalnum() and not w.isdigit()]
            stem = "-".join(w.lower() for w in words[:3]) or rng.choice(SLUG_WORDS)
            stem = f"{stem}-{i:04d}"
        rel = posixpath.join(folder, stem + ".md") if folder else stem + ".md"
        assert rel not in used_paths
        used_paths.add(rel)
        target = int(min(40000, max(400, rng.lognormvariate(mu, sigma))))
        tags = rng.sample(TAGS, rng.randint(1, 4)) if kind == "fm" else []
        date = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        plans.append(NotePlan(i, rel, kind, titles, target, tags, date))
    return plans


def make_notes(n: int, seed: int = 42) -> list[VaultNote]:
    """The vault's notes, in order; pure function of (n, seed)."""
    plans = plan_notes(n, seed)
    notes = []
    for plan in plans:
        rng = random.Random(f"note-{seed}-{n}-{plan.index}")
        text = Writer(rng, plan, plans).note()
        title = plan.titles[0] if plan.kind != "collection" else Path(plan.rel).stem
        notes.append(VaultNote(plan.rel, text, plan.kind, title))
    return notes


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "mlnotes benchmark vault"
languageCode = "zh-CN"

[markup.goldmark.renderer]
  unsafe = true
"""

HUGO_LAYOUTS = {
    "baseof.html": (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n'
        '<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>\n'
        '<body><main>{{ block "main" . }}{{ end }}</main></body>\n</html>\n'
    ),
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>\n{{ .Content }}</article>{{ end }}\n',
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
}

MKDOCS_CONFIG = """\
site_name: mlnotes benchmark vault
docs_dir: docs
site_dir: site
theme:
  name: mkdocs
"""


def hugo_text(note: VaultNote) -> str:
    """Hugo reads the same Markdown; a page without front matter gets just a title."""
    if note.text.startswith("---\n"):
        return note.text
    return f"---\ntitle: {json.dumps(note.title, ensure_ascii=False)}\n---\n\n" + note.text


def write_vault(
    out: Path, n: int, seed: int = 42, layouts: tuple[str, ...] = ("mlnotes", "hugo", "mkdocs"), force: bool = False
) -> dict:
    """Write the vault under `out` (skipped when a stamp says it is already there); returns stats."""
    stamp = {"generator": GENERATOR_VERSION, "n": n, "seed": seed, "layouts": sorted(layouts)}
    stamp_file = out / STAMP
    if not force and stamp_file.is_file():
        old = json.loads(stamp_file.read_text(encoding="utf-8"))
        if {k: old.get(k) for k in stamp} == stamp:
            return old["stats"]
    if out.exists():
        shutil.rmtree(out)
    notes = make_notes(n, seed)
    targets = {
        "mlnotes": (out / "mlnotes" / "notes", lambda note: note.text),
        "hugo": (out / "hugo" / "content", hugo_text),
        "mkdocs": (out / "mkdocs" / "docs", lambda note: note.text),
    }
    for layout in layouts:
        root, text_of = targets[layout]
        for note in notes:
            path = root / note.rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_of(note), encoding="utf-8")
    if "hugo" in layouts:
        (out / "hugo" / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        layout_dir = out / "hugo" / "layouts" / "_default"
        layout_dir.mkdir(parents=True, exist_ok=True)
        for name, text in HUGO_LAYOUTS.items():
            (layout_dir / name).write_text(text, encoding="utf-8")
    if "mkdocs" in layouts:
        (out / "mkdocs" / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
    sizes = [len(note.text.encode("utf-8")) for note in notes]
    stats = {
        "notes": n,
        "bytes": sum(sizes),
        "avg_bytes": round(sum(sizes) / max(1, n)),
        "kinds": {k: sum(1 for note in notes if note.kind == k) for k in ("collection", "h1", "fm")},
        "h1_topics": sum(
            note.text.count("\n# ") + note.text.startswith("# ") for note in notes if note.kind == "collection"
        ),
        "wikilinks": sum(note.text.count("[[") for note in notes),
        "md_links": sum(note.text.count(".md)") for note in notes),
        "tasks": sum(note.text.count("- [") for note in notes),
        "code_blocks": sum(note.text.count("```") // 2 for note in notes),
    }
    stamp["stats"] = stats
    stamp_file.write_text(json.dumps(stamp, ensure_ascii=False, indent=1), encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of notes")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="default: benchmarks/work/vault-N")
    parser.add_argument(
        "--layouts", nargs="+", choices=["mlnotes", "hugo", "mkdocs"], default=["mlnotes", "hugo", "mkdocs"]
    )
    parser.add_argument("--force", action="store_true", help="rewrite even if the stamp says it is up to date")
    args = parser.parse_args(argv)
    out = args.out or HERE / "work" / f"vault-{args.n}"
    stats = write_vault(out, args.n, args.seed, tuple(args.layouts), args.force)
    print(f"{out}: {json.dumps(stats, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
