package dev.pagoda.core.synth;

/**
 * Llama 3.1's "llama3" rope scaling ({@code rope_scaling} in the Hugging Face config), which
 * llama.cpp's converter turns into the {@code rope_freqs.weight} tensor: one divisor per rotated
 * pair, 1 for short wavelengths, {@code factor} for long ones, and a smooth blend between.
 *
 * @param factor          divisor for wavelengths longer than {@code originalContext / lowFreqFactor}
 * @param lowFreqFactor   sets the long-wavelength threshold
 * @param highFreqFactor  sets the short-wavelength threshold
 * @param originalContext the context the model was pre-trained with (8192 for Llama 3)
 */
public record Llama3RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {

    public Llama3RopeScaling {
        if (!(factor >= 1) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalContext < 1) {
            throw new IllegalArgumentException("bad llama3 rope scaling: factor " + factor + ", low " + lowFreqFactor
                    + ", high " + highFreqFactor + ", original context " + originalContext);
        }
    }

    /**
     * The {@code rope_freqs.weight} values for a head of {@code ropeDimension} rotated values and
     * rope base {@code theta}: {@code ropeDimension / 2} divisors, computed as llama.cpp's
     * {@code convert_hf_to_gguf.py} does (frequencies in float32, the blend in double).
     */
    public float[] ropeFreqs(int ropeDimension, double theta) {
        if (ropeDimension < 2 || ropeDimension % 2 != 0) {
            throw new IllegalArgumentException("rope dimension must be even and at least 2, got " + ropeDimension);
        }
        double lowFreqWavelength = originalContext / lowFreqFactor;
        double highFreqWavelength = originalContext / highFreqFactor;
        float[] out = new float[ropeDimension / 2];
        for (int i = 0; i < out.length; i++) {
            float exponent = (float) (2 * i) / ropeDimension;
            float freq = (float) (1.0 / (float) Math.pow(theta, exponent));
            double wavelength = 2 * Math.PI / freq;
            if (wavelength < highFreqWavelength) {
                out[i] = 1;
            } else if (wavelength > lowFreqWavelength) {
                out[i] = (float) factor;
            } else {
                double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                out[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return out;
    }
}
