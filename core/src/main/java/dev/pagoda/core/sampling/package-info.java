/**
 * Choosing the next token and deciding when to stop: {@link dev.pagoda.core.sampling.Sampler}
 * (llama.cpp's penalty, top-k, top-p, min-p, temperature chain) and {@link
 * dev.pagoda.core.sampling.StopStringMatcher} (stop strings over streamed text).
 */
package dev.pagoda.core.sampling;
