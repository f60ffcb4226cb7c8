package org.millrace.evaluation.sets;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalItem;

/**
 * Cloze on held-out prose (in the manner of LAMBADA): the last word of a sentence is to be chosen after
 * the text before it (up to {@value #CONTEXT_CHARS} characters of the paragraph); distractors are the
 * last words of other sentences of the held-out text.
 */
final class ClozeItems {
    static final int CONTEXT_CHARS = 400;
    private static final Pattern LAST_WORD = Pattern.compile("^(.*\\S)\\s+([A-Za-z][a-z]{2,})([.!?;]['\"\u2019\u201d]?)\\s*$", Pattern.DOTALL);

    private ClozeItems() {
    }

    private record Candidate(Document doc, int sentenceStart, String prefix, String word, String sentence) {
    }

    static List<EvalItem> build(List<Document> heldOutProse, String source, EvalSetSettings s) {
        List<Candidate> candidates = new ArrayList<>();
        for (Document doc : heldOutProse) {
            String text = doc.text();
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
            it.setText(text);
            for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                String sentence = text.substring(start, end).strip();
                int words = sentence.split("\\s+").length;
                Matcher m = LAST_WORD.matcher(sentence);
                if (words < 8 || words > 60 || sentence.contains("\n\n") || !m.matches()) {
                    continue;
                }
                int leading = text.indexOf(sentence, start);
                candidates.add(new Candidate(doc, leading, m.group(1), m.group(2), sentence));
            }
        }
        List<String> pool = candidates.stream().map(Candidate::word).toList();
        List<Candidate> chosen = Sampling.shuffled(candidates, s.seed(), "cloze").subList(0, Math.min(s.clozeItems(), candidates.size()));
        Random random = Sampling.random(s.seed(), "cloze/distractors");
        List<EvalItem> out = new ArrayList<>();
        for (Candidate c : chosen) {
            List<String> wrong = Sampling.distractors(pool, s.choices() - 1, random, w -> !w.equalsIgnoreCase(c.word()));
            if (wrong.size() < s.choices() - 1) {
                continue;
            }
            List<String> choices = new ArrayList<>(wrong);
            int gold = Sampling.place(choices, c.word(), random);
            String context = paragraphBefore(c.doc().text(), c.sentenceStart()) + c.prefix();
            out.add(EvalItem.choice(c.doc().url() + "@" + c.sentenceStart(), source, c.doc().id(), c.sentence(), context,
                    choices.stream().map(w -> " " + w).toList(), gold));
        }
        return out;
    }

    /** The text of the same paragraph before a sentence, at most CONTEXT_CHARS, starting at a word. */
    private static String paragraphBefore(String text, int sentenceStart) {
        int para = text.lastIndexOf("\n\n", sentenceStart);
        int from = Math.max(para < 0 ? 0 : para + 2, sentenceStart - CONTEXT_CHARS);
        String before = text.substring(from, sentenceStart);
        if (from > 0 && from != para + 2) {
            int space = before.indexOf(' ');
            before = space < 0 ? "" : before.substring(space + 1);
        }
        return before.replaceAll("\\s+", " ");
    }
}
