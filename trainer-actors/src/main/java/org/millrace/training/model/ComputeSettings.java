package org.millrace.training.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a model computes: {@code millrace.model.device}, {@code millrace.model.threads},
 * {@code millrace.model.seed}.
 *
 * @param device {@code auto} (the first GPU if the engine sees one, else the CPU), {@code cpu},
 *     {@code gpu} or {@code gpu:N}
 * @param threads intra-op threads of the engine; 0 keeps the engine's default (one per core)
 * @param seed seed of parameter initialisation and, when dropout is on, of the engine's RNG
 */
public record ComputeSettings(String device, int threads, long seed) {

    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    public ComputeSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("millrace.model.threads must not be negative (got " + threads + ")");
        }
        parseDevice(device, 0); // validates the name
    }

    /** CPU, engine-default threads, the given seed. */
    public static ComputeSettings cpu(long seed) {
        return new ComputeSettings("cpu", 0, seed);
    }

    /**
     * Reads {@code millrace.model.device|threads|seed} from a full configuration.
     *
     * @param config the root configuration (holding {@code millrace.model})
     */
    public static ComputeSettings fromConfig(Config config) {
        try {
            Config m = config.getConfig("millrace.model");
            return new ComputeSettings(m.getString("device"), m.getInt("threads"), m.getLong("seed"));
        } catch (ConfigException.WrongType | ConfigException.Missing e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The device to place the model on. */
    public Device resolveDevice() {
        return parseDevice(device, Engine.getInstance().getGpuCount());
    }

    /** Sets the engine's intra-op thread count if {@link #threads()} is positive (process-wide). */
    public void applyThreads() {
        if (threads > 0) {
            Engine.getEngine("PyTorch"); // loads the native library; JniUtils fails with UnsatisfiedLinkError before that
            JniUtils.setNumThreads(threads);
        }
    }

    private static Device parseDevice(String name, int gpuCount) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("auto")) {
            return gpuCount > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(n);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "millrace.model.device must be auto, cpu, gpu or gpu:N (got '" + name + "')");
        }
        return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }
}
