package org.millrace.training.diloco;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How floats travel in a DiLoCo message: fp32 exactly, or halved to bf16 (fp32's range, 8 bits of mantissa) or
 * fp16 (IEEE half: 11 bits of mantissa, range ±65504). Deltas are small numbers, so either half format suits
 * them; parameters always travel in fp32. Little-endian.
 *
 * <p>The conversions are written here because Java 17 has none for half floats ({@code Float.floatToFloat16}
 * arrived in Java 20); both round to nearest, ties to even, as PyTorch's {@code .to(torch.bfloat16/float16)} does.
 */
public enum DeltaEncoding {
    FP32(4), BF16(2), FP16(2);

    private final int bytesPerValue;

    DeltaEncoding(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    public int bytesPerValue() {
        return bytesPerValue;
    }

    /** {@code length} values of {@code values} from {@code offset}, encoded. */
    public byte[] encode(float[] values, int offset, int length) {
        ByteBuffer out = ByteBuffer.allocate(length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = offset; i < offset + length; i++) {
            switch (this) {
                case FP32 -> out.putFloat(values[i]);
                case BF16 -> out.putShort(toBf16(values[i]));
                case FP16 -> out.putShort(toFp16(values[i]));
            }
        }
        return out.array();
    }

    /** Decodes {@code bytes} into {@code into} from {@code offset}; returns the number of values. */
    public int decode(byte[] bytes, float[] into, int offset) {
        if (bytes.length % bytesPerValue != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes are no whole number of " + this + " values");
        }
        int n = bytes.length / bytesPerValue;
        if (offset < 0 || offset + n > into.length) {
            throw new IllegalArgumentException(n + " values at offset " + offset + " do not fit " + into.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = offset; i < offset + n; i++) {
            into[i] = switch (this) {
                case FP32 -> in.getFloat();
                case BF16 -> fromBf16(in.getShort());
                case FP16 -> fromFp16(in.getShort());
            };
        }
        return n;
    }

    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040); // stays a (quiet) NaN
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    static float fromBf16(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    static short toFp16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) { // Inf or NaN
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00); // overflow: Inf
        }
        if (e <= 0) { // subnormal half (or zero)
            if (e < -10) {
                return (short) sign;
            }
            int m = mantissa | 0x800000; // implicit bit
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, up to Inf: still correct
        }
        return (short) (sign | half);
    }

    static float fromFp16(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f; // subnormal: mantissa · 2^-24
            return sign != 0 ? -value : value;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
