package dev.pagoda.core.tokenizer;

/** A piece of input text after special tokens were split out: plain text or one special token. */
sealed interface Fragment {

  /** Characters {@code [start, end)} of the input, still to be tokenized. */
  record Text(int start, int end) implements Fragment {}

  /** A special token matched verbatim in the input. */
  record Special(int id) implements Fragment {}
}
