package dev.pagoda.core.tokenizer;

import dev.pagoda.gguf.Metadata;

/**
 * Reads a tokenizer from GGUF {@code tokenizer.ggml.*} metadata with llama.cpp's rules for
 * defaults ({@code llama_vocab::load}): SentencePiece defaults BOS 1, EOS 2, UNK 0, add BOS, dummy
 * prefix on; byte-level BPE has no dummy prefix and adds BOS only for the Llama 3 pre-tokenizer.
 * A role id outside the vocabulary is ignored in favour of the default, as llama.cpp does, with a
 * warning naming the key (llama.cpp's "bad special token").
 */
final class TokenizerLoader {
  private static final System.Logger LOG = System.getLogger(TokenizerLoader.class.getName());

  static final String MODEL = "tokenizer.ggml.model";
  static final String PRE = "tokenizer.ggml.pre";
  static final String TOKENS = "tokenizer.ggml.tokens";
  static final String SCORES = "tokenizer.ggml.scores";
  static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
  static final String MERGES = "tokenizer.ggml.merges";
  static final String BOS_ID = "tokenizer.ggml.bos_token_id";
  static final String EOS_ID = "tokenizer.ggml.eos_token_id";
  static final String UNK_ID = "tokenizer.ggml.unknown_token_id";
  static final String EOT_ID = "tokenizer.ggml.eot_token_id";
  static final String EOM_ID = "tokenizer.ggml.eom_token_id";
  static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
  static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
  static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

  private TokenizerLoader() {}

  static Tokenizer load(Metadata md) {
    if (!md.contains(MODEL)) {
      throw new IllegalArgumentException(
          "no tokenizer in this file: metadata key " + MODEL + " is missing");
    }
    String model = md.getString(MODEL);
    return switch (model) {
      case "llama" -> loadSentencePiece(md);
      case "gpt2" -> loadBpe(md);
      default ->
          throw new IllegalArgumentException(
              "unsupported tokenizer model " + MODEL + " = '" + model
                  + "': supported are 'llama' (SentencePiece) and 'gpt2' (byte-level BPE)");
    };
  }

  private static Tokenizer loadSentencePiece(Metadata md) {
    String[] tokens = md.getStringArray(TOKENS);
    SpecialTokens special = specialTokens(md, tokens.length, 1, 2, 0, true);
    Vocabulary vocabulary = new Vocabulary(tokens, scores(md, tokens.length),
        tokenTypes(md, tokens.length), special);
    return new SentencePieceTokenizer(vocabulary, md.getBoolean(ADD_SPACE_PREFIX, true));
  }

  private static Tokenizer loadBpe(Metadata md) {
    BpePreTokenizer pre = BpePreTokenizer.forName(md.getString(PRE, null));
    if (!md.contains(MERGES)) {
      throw new IllegalArgumentException(
          "byte-level BPE tokenizer without merges: metadata key " + MERGES + " is missing");
    }
    String[] tokens = md.getStringArray(TOKENS);
    // llama.cpp's defaults for gpt2 are BOS = EOS = 11 and no unknown token.
    SpecialTokens special =
        specialTokens(md, tokens.length, 11, 11, SpecialTokens.NONE, pre.addBosByDefault());
    Vocabulary vocabulary = new Vocabulary(tokens, scores(md, tokens.length),
        tokenTypes(md, tokens.length), special);
    return new BpeTokenizer(vocabulary, md.getStringArray(MERGES), pre);
  }

  private static float[] scores(Metadata md, int n) {
    if (!md.contains(SCORES)) {
      return null;
    }
    float[] scores = md.getFloatArray(SCORES);
    if (scores.length != n) {
      throw new IllegalArgumentException(
          SCORES + " has " + scores.length + " entries but " + TOKENS + " has " + n);
    }
    return scores;
  }

  private static int[] tokenTypes(Metadata md, int n) {
    if (!md.contains(TOKEN_TYPE)) {
      return null;
    }
    int[] types = md.getIntArray(TOKEN_TYPE);
    if (types.length != n) {
      throw new IllegalArgumentException(
          TOKEN_TYPE + " has " + types.length + " entries but " + TOKENS + " has " + n);
    }
    return types;
  }

  private static SpecialTokens specialTokens(
      Metadata md, int n, int defaultBos, int defaultEos, int defaultUnk, boolean defaultAddBos) {
    return new SpecialTokens(
        roleId(md, BOS_ID, defaultBos, n),
        roleId(md, EOS_ID, defaultEos, n),
        roleId(md, UNK_ID, defaultUnk, n),
        roleId(md, EOT_ID, SpecialTokens.NONE, n),
        roleId(md, EOM_ID, SpecialTokens.NONE, n),
        md.getBoolean(ADD_BOS, defaultAddBos),
        md.getBoolean(ADD_EOS, false));
  }

  private static int roleId(Metadata md, String key, int defaultId, int n) {
    int fallback = defaultId < n ? defaultId : SpecialTokens.NONE;
    if (md.contains(key)) {
      long id = md.getLong(key);
      if (id >= 0 && id < n) {
        return (int) id;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} = {1} is outside the vocabulary [0, {2}): using {3} instead",
          key,
          Long.toString(id),
          Integer.toString(n),
          fallback == SpecialTokens.NONE ? "none" : Integer.toString(fallback));
    }
    return fallback;
  }
}
