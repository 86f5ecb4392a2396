/**
 * Tokenizers built from GGUF {@code tokenizer.ggml.*} metadata that reproduce llama.cpp's:
 * SentencePiece ({@code llama}) and byte-level BPE ({@code gpt2}, Llama 3 pre-tokenizer). Entry
 * point: {@link dev.pagoda.core.tokenizer.Tokenizer}.
 */
package dev.pagoda.core.tokenizer;
