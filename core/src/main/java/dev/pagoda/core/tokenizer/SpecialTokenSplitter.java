package dev.pagoda.core.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits special tokens out of input text before the model tokenizer sees it, like llama.cpp's
 * {@code tokenizer_st_partition}: for each special token, longest text first, every occurrence in
 * the not-yet-split text becomes its own fragment. User-defined tokens are always split out;
 * control and unknown tokens only when {@code parseSpecial} is true.
 */
final class SpecialTokenSplitter {

  private final Vocabulary vocabulary;

  SpecialTokenSplitter(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  List<Fragment> split(String text, boolean parseSpecial) {
    List<Fragment> fragments = new ArrayList<>();
    if (text.isEmpty()) {
      return fragments;
    }
    fragments.add(new Fragment.Text(0, text.length()));
    for (int id : vocabulary.specialIdsLongestFirst()) {
      TokenType type = vocabulary.type(id);
      if (!parseSpecial && type != TokenType.USER_DEFINED) {
        continue;
      }
      String special = vocabulary.text(id);
      if (text.indexOf(special) < 0) {
        continue; // the common case: this token does not occur at all
      }
      List<Fragment> next = new ArrayList<>(fragments.size() + 4);
      for (Fragment fragment : fragments) {
        if (!(fragment instanceof Fragment.Text(int start, int end))) {
          next.add(fragment);
          continue;
        }
        int from = start;
        while (true) {
          int match = text.indexOf(special, from);
          if (match < 0 || match + special.length() > end) {
            break;
          }
          if (match > from) {
            next.add(new Fragment.Text(from, match));
          }
          next.add(new Fragment.Special(id));
          from = match + special.length();
        }
        if (from < end) {
          next.add(new Fragment.Text(from, end));
        }
      }
      fragments = next;
    }
    return fragments;
  }
}
