package org.millrace.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.EvalResult;

class EvalReportTest {
    @TempDir
    Path out;

    @Test
    void writesATableAndOnePngPerTaskAndMetricThatImageIoReads() throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<EvalResult> results = new ArrayList<>();
        for (int step = 50; step <= 150; step += 50) {
            long tokens = step * 4096L;
            results.add(new EvalResult("r1", "ckpt-" + step, step, tokens, "bpb_prose", "bits_per_byte", 8.0 - step / 50.0, 0.05, 12, step));
            results.add(new EvalResult("r1", "ckpt-" + step, step, tokens, "quiz", "acc", 0.25 + step / 1000.0, 0.02, 200, step));
        }
        results.add(new EvalResult("r1", "ckpt-150", 150, 150 * 4096L, "quiz", "acc", 0.5, 0.02, 200, 999)); // re-evaluated: the later counts
        results.add(new EvalResult("other", "x", 1, 1, "quiz", "acc", 0.9, null, 1, 1));

        EvalReport.Written w = EvalReport.write(results, "r1", out);
        assertEquals(3, w.checkpoints());
        assertEquals(2, w.plots().size());
        String md = Files.readString(w.markdown());
        assertTrue(md.contains("| quiz | acc | 0.5000 | 0.0200 | 200 | 150 | 614400 |"), md);
        assertTrue(md.contains("| bpb_prose | bits_per_byte | 7.0000 | 6.0000 | 5.0000 |"), md);
        assertTrue(md.contains("![quiz acc](plots/quiz.acc.png)"), md);
        for (Path png : w.plots()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is a PNG");
            assertEquals(640, image.getWidth());
            assertEquals(400, image.getHeight());
        }
        assertThrows(IllegalArgumentException.class, () -> EvalReport.write(results, "missing", out));
    }
}
