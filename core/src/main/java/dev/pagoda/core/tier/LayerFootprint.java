package dev.pagoda.core.tier;

import dev.pagoda.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes each transformer block and the rest of the model occupy, read from a GGUF tensor
 * table alone (no tensor data is touched). Block tensors are those named {@code blk.N.*}; the
 * others ({@code token_embd}, {@code output}, {@code output_norm}, {@code rope_freqs}) are the
 * non-layer tensors, which always stay resident.
 *
 * @param layers              blocks 0..n-1, each with its tensors in file order
 * @param nonLayerTensors     every tensor that is not {@code blk.N.*}
 * @param nonLayerBytesPerToken bytes of non-layer tensors a decoded token reads in full: the output
 *                            matrix ({@code token_embd} when the model ties them) and the output norm;
 *                            the embedding table contributes one row only and is left out
 */
public record LayerFootprint(List<Layer> layers, List<TensorInfo> nonLayerTensors, long nonLayerBytesPerToken) {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");

    public LayerFootprint {
        layers = List.copyOf(layers);
        nonLayerTensors = List.copyOf(nonLayerTensors);
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).index() != i) {
                throw new IllegalArgumentException("layer " + i + " is listed as blk." + layers.get(i).index());
            }
        }
    }

    /**
     * One block's tensors.
     *
     * @param index   N of {@code blk.N}
     * @param tensors its tensors in file order
     */
    public record Layer(int index, List<TensorInfo> tensors) {
        public Layer {
            tensors = List.copyOf(tensors);
        }

        /** Bytes of its tensor data. */
        public long bytes() {
            long sum = 0;
            for (TensorInfo t : tensors) {
                sum += t.byteSize();
            }
            return sum;
        }

        /** Bytes it takes in device memory, each tensor starting on a {@link LayerLayout#DEVICE_ALIGNMENT} boundary. */
        public long deviceBytes() {
            return LayerLayout.deviceBytes(tensors);
        }
    }

    /**
     * The footprint of a tensor table.
     *
     * @throws IllegalArgumentException when block numbers have a gap (e.g. blk.0 and blk.2 but no blk.1)
     */
    public static LayerFootprint of(List<TensorInfo> tensors) {
        Map<Integer, List<TensorInfo>> byLayer = new TreeMap<>();
        List<TensorInfo> rest = new ArrayList<>();
        for (TensorInfo t : tensors) {
            Matcher m = BLOCK.matcher(t.name());
            if (m.matches()) {
                int layer;
                try {
                    layer = Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("tensor " + t.name() + " has a block number out of range");
                }
                byLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(t);
            } else {
                rest.add(t);
            }
        }
        List<Layer> layers = new ArrayList<>(byLayer.size());
        for (Map.Entry<Integer, List<TensorInfo>> e : byLayer.entrySet()) {
            if (e.getKey() != layers.size()) {
                throw new IllegalArgumentException("the tensor table has blk." + e.getKey() + " but no blk."
                        + layers.size());
            }
            layers.add(new Layer(e.getKey(), e.getValue()));
        }
        long perToken = 0;
        boolean hasOutput = rest.stream().anyMatch(t -> t.name().equals("output.weight"));
        for (TensorInfo t : rest) {
            String n = t.name();
            if (n.equals("output.weight") || n.equals("output_norm.weight")
                    || (!hasOutput && n.equals("token_embd.weight"))) {
                perToken += t.byteSize();
            }
        }
        return new LayerFootprint(layers, rest, perToken);
    }

    /** Number of blocks. */
    public int layerCount() {
        return layers.size();
    }

    /** Bytes of every non-layer tensor. */
    public long nonLayerBytes() {
        long sum = 0;
        for (TensorInfo t : nonLayerTensors) {
            sum += t.byteSize();
        }
        return sum;
    }

    /** Device bytes of the non-layer tensors, each aligned as in a layer. */
    public long nonLayerDeviceBytes() {
        return LayerLayout.deviceBytes(nonLayerTensors);
    }

    /** Bytes of every block together. */
    public long layerBytes() {
        long sum = 0;
        for (Layer l : layers) {
            sum += l.bytes();
        }
        return sum;
    }
}
