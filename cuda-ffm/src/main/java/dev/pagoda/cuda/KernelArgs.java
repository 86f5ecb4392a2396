package dev.pagoda.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code void** kernelParams} of a launch in the kernel's parameter order. Device pointers
 * are taken from {@link DeviceBuffer}s (bounds-checked offsets), never from raw numbers.
 */
public final class KernelArgs {
    private sealed interface Arg permits PointerArg, IntArg, LongArg, FloatArg {
    }

    private record PointerArg(long address) implements Arg {
    }

    private record IntArg(int value) implements Arg {
    }

    private record LongArg(long value) implements Arg {
    }

    private record FloatArg(float value) implements Arg {
    }

    private final List<Arg> args = new ArrayList<>();

    public static KernelArgs of() {
        return new KernelArgs();
    }

    /** A pointer to the start of {@code buffer}. */
    public KernelArgs pointer(DeviceBuffer buffer) {
        return pointer(buffer, 0);
    }

    /** A pointer {@code byteOffset} bytes into {@code buffer} (checked to lie inside it). */
    public KernelArgs pointer(DeviceBuffer buffer, long byteOffset) {
        buffer.checkRange(byteOffset, 0);
        args.add(new PointerArg(buffer.unsafeAddress() + byteOffset));
        return this;
    }

    /** {@link #pointer(DeviceBuffer)}, or {@link #nullPointer()} where {@code buffer} is null (an optional operand). */
    public KernelArgs pointerOrNull(DeviceBuffer buffer) {
        return buffer == null ? nullPointer() : pointer(buffer);
    }

    /** A null pointer, for optional array parameters the kernel tests against {@code nullptr}. */
    public KernelArgs nullPointer() {
        args.add(new PointerArg(0L));
        return this;
    }

    public KernelArgs i32(int value) {
        args.add(new IntArg(value));
        return this;
    }

    public KernelArgs i64(long value) {
        args.add(new LongArg(value));
        return this;
    }

    public KernelArgs f32(float value) {
        args.add(new FloatArg(value));
        return this;
    }

    MemorySegment marshal(Arena arena) {
        MemorySegment params = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.size()));
        for (int i = 0; i < args.size(); i++) {
            MemorySegment slot = arena.allocate(8, 8);
            switch (args.get(i)) {
                case PointerArg p -> slot.set(ValueLayout.JAVA_LONG, 0, p.address());
                case IntArg v -> slot.set(ValueLayout.JAVA_INT, 0, v.value());
                case LongArg v -> slot.set(ValueLayout.JAVA_LONG, 0, v.value());
                case FloatArg v -> slot.set(ValueLayout.JAVA_FLOAT, 0, v.value());
            }
            params.setAtIndex(ValueLayout.ADDRESS, i, slot);
        }
        return params;
    }
}
