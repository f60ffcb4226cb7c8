package org.millrace.training.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Parameter files of a {@link Gpt}: DJL's block format (each parameter's name, then its array
 * encoded bit for bit), preceded by the model shape, which loading checks.
 */
public final class GptParameters {

    private GptParameters() {}

    /** Writes all parameters to {@code file} atomically (a temporary file, then a rename). */
    public static void save(Gpt gpt, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                gpt.saveParameters(out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces the parameters of {@code gpt} with those in {@code file}, creating them in
     * {@code manager}.
     *
     * @throws IOException if the file cannot be read or was written for another model shape
     */
    public static void load(Gpt gpt, NDManager manager, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            gpt.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("cannot load GPT parameters from " + file + ": " + e.getMessage(), e);
        }
    }

    /** A model of shape {@code config} with the parameters in {@code file}, e.g. for evaluation or serving. */
    public static Gpt open(GptConfig config, NDManager manager, Path file) throws IOException {
        Gpt gpt = new Gpt(config);
        load(gpt, manager, file);
        return gpt;
    }
}
