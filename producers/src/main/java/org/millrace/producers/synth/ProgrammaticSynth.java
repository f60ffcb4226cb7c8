package org.millrace.producers.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.synth.internal.ArithmeticLesson;
import org.millrace.producers.synth.internal.Exercise;
import org.millrace.producers.synth.internal.GlossaryLesson;
import org.millrace.producers.synth.internal.Lesson;
import org.millrace.producers.synth.internal.ProgramLesson;
import org.millrace.producers.synth.internal.Section;
import org.millrace.producers.synth.internal.SequenceLesson;
import org.millrace.producers.synth.internal.UnitLesson;

/**
 * Synthetic textbook sections and exercises whose answers are computed, not invented: arithmetic and
 * unit word problems, number sequences, string and list programs with their output, and glossary
 * sections from WordNet glosses (when the corpus holds them). Works offline; document {@code i} of
 * seed {@code s} is the same on every machine, so generation is reproducible and resumable.
 */
public final class ProgrammaticSynth {
    public static final String GENERATOR = "programmatic";
    public static final String SOURCE = "synth-programmatic";
    private final long seed;
    private final List<Lesson> lessons;
    private final int[] cumulativeWeights;

    /** @param glosses WordNet glosses for glossary sections; empty leaves glossaries out */
    public ProgrammaticSynth(long seed, Optional<WordNetGlosses> glosses) {
        this.seed = seed;
        Map<Lesson, Integer> weighted = new LinkedHashMap<>();
        weighted.put(new ArithmeticLesson(), 25);
        weighted.put(new UnitLesson(), 20);
        weighted.put(new SequenceLesson(), 15);
        weighted.put(new ProgramLesson(), 25);
        glosses.filter(g -> !g.categories(40).isEmpty()).ifPresent(g -> weighted.put(new GlossaryLesson(g), 15));
        this.lessons = List.copyOf(weighted.keySet());
        this.cumulativeWeights = new int[lessons.size()];
        int sum = 0;
        int i = 0;
        for (int w : weighted.values()) {
            sum += w;
            cumulativeWeights[i++] = sum;
        }
    }

    /** Names of the lessons this generator mixes (glossary only when WordNet is at hand). */
    public List<String> lessons() {
        return lessons.stream().map(Lesson::name).toList();
    }

    public long seed() {
        return seed;
    }

    /** Documents {@code first} .. {@code first + count - 1}. */
    public Stream<Document> documents(long first, long count) {
        return LongStream.range(first, first + count).mapToObj(this::document);
    }

    /** Publishes documents {@code first} .. {@code first + count - 1} into {@code sink}, then flushes it. */
    public SynthStats run(long first, long count, org.millrace.producers.DocumentSink sink, SynthListener listener) {
        long start = System.nanoTime();
        long nextReport = start + 1_000_000_000L;
        long bytes = 0;
        for (long i = first; i < first + count; i++) {
            Document d = document(i);
            sink.accept(d);
            bytes += d.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            long now = System.nanoTime();
            if (now >= nextReport) {
                listener.progress(new SynthStats(count, i - first + 1, 0, 0, 0, bytes, java.time.Duration.ofNanos(now - start)));
                nextReport = now + 1_000_000_000L;
            }
        }
        sink.flush();
        SynthStats total = new SynthStats(count, count, 0, 0, 0, bytes, java.time.Duration.ofNanos(System.nanoTime() - start));
        listener.finished(total);
        return total;
    }

    /** Document number {@code index} of this seed. */
    public Document document(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        int pick = r.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        int l = 0;
        while (cumulativeWeights[l] <= pick) {
            l++;
        }
        Lesson lesson = lessons.get(l);
        Section section = lesson.write(r);
        Layout layout = Layout.values()[r.nextInt(Layout.values().length)];
        String text = render(section, layout);
        String prompt = "Write a textbook section on " + section.topic() + " titled \"" + section.title() + "\" with "
                + section.exercises().size() + " exercises and worked solutions (" + layout.describe + ").";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("generator", GENERATOR);
        metadata.put("seed", seed);
        metadata.put("index", index);
        metadata.put("prompt", prompt);
        metadata.put("lesson", lesson.name());
        return new Document(Document.stableId(SOURCE, seed + "/" + index), text, SOURCE, DocumentKind.SYNTHETIC, null, metadata);
    }

    /** Exercises of document {@code index}, as generated (tests check computed answers against them). */
    public List<Exercise> exercises(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        int pick = r.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        int l = 0;
        while (cumulativeWeights[l] <= pick) {
            l++;
        }
        return lessons.get(l).write(r).exercises();
    }

    private enum Layout {
        INLINE("each solution after its exercise"),
        ANSWERS_AT_END("solutions collected at the end"),
        WORKED_FIRST("a worked example first, then practice with answers");

        final String describe;

        Layout(String describe) {
            this.describe = describe;
        }
    }

    private static String render(Section s, Layout layout) {
        StringBuilder b = new StringBuilder("# ").append(s.title()).append("\n\n").append(s.intro()).append("\n\n");
        List<Exercise> ex = new ArrayList<>(s.exercises());
        if (layout == Layout.WORKED_FIRST) {
            b.append("## Worked example\n\n");
            problem(b, ex.remove(0));
            b.append("Solution.\n");
            solution(b, s.exercises().get(0));
            if (ex.isEmpty()) {
                return b.toString().strip() + "\n";
            }
            b.append("\n## Practice\n\n");
        } else {
            b.append("## Exercises\n\n");
        }
        for (int i = 0; i < ex.size(); i++) {
            b.append(i + 1).append(". ");
            problem(b, ex.get(i));
            if (layout != Layout.ANSWERS_AT_END) {
                b.append("Solution:\n");
                solution(b, ex.get(i));
                b.append('\n');
            }
        }
        if (layout == Layout.ANSWERS_AT_END) {
            b.append("## Solutions\n\n");
            for (int i = 0; i < ex.size(); i++) {
                b.append(i + 1).append(".\n");
                solution(b, ex.get(i));
                b.append('\n');
            }
        }
        return b.toString().strip() + "\n";
    }

    private static void problem(StringBuilder b, Exercise e) {
        b.append(e.question()).append('\n');
        if (e.code() != null) {
            b.append("\n```python\n").append(e.code()).append("\n```\n");
        }
        b.append('\n');
    }

    private static void solution(StringBuilder b, Exercise e) {
        for (String step : e.steps()) {
            b.append("   ").append(step).append('\n');
        }
        if (e.output() != null) {
            b.append("   Output:\n\n```\n").append(e.output()).append("\n```\n");
        } else {
            b.append("   Answer: ").append(e.answer()).append('\n');
        }
    }

    /** SplitMix64 of seed and index: independent streams per document. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
