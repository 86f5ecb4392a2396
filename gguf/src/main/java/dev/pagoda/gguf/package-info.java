/** Pagoda gguf. */
package dev.pagoda.gguf;
