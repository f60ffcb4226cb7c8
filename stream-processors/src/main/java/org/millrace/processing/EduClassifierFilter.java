package org.millrace.processing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

/**
 * Scores every document's educational value in [0, 1] with the trained {@link EduClassifier} and
 * assigns its curriculum bucket: synthetic documents to the synthetic bucket, code to the code
 * bucket, others scoring at least {@code millrace.classifier.filter.textbook-at} to the textbook
 * bucket and the rest to the web bucket (bucket names as {@code millrace.curation.bucket-of-kind}
 * maps the kinds). Documents scoring below {@code filter.drop-below} are dropped as
 * {@code low_edu_score}. The bucket travels in the document's metadata under
 * {@link DocumentFilter#BUCKET_KEY}.
 */
public final class EduClassifierFilter implements DocumentFilter {
    public static final String NAME = "classifier";

    private final EduClassifier classifier;
    private final double textbookAt;
    private final double dropBelow;
    private final Map<DocumentKind, String> bucketOfKind;

    public EduClassifierFilter(EduClassifier classifier, double textbookAt, double dropBelow,
                               Map<DocumentKind, String> bucketOfKind) {
        this.classifier = classifier;
        this.textbookAt = textbookAt;
        this.dropBelow = dropBelow;
        this.bucketOfKind = Map.copyOf(bucketOfKind);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict apply(Document document) {
        double score = classifier.score(document.text());
        if (score < dropBelow) {
            return new Verdict.Drop("low_edu_score", String.format(Locale.ROOT,
                    "educational-value score %.4f below %.4f (model %s)", score, dropBelow, classifier.version()), score);
        }
        DocumentKind bucketKind = switch (document.kind()) {
            case SYNTHETIC -> DocumentKind.SYNTHETIC;
            case CODE -> DocumentKind.CODE;
            default -> score >= textbookAt ? DocumentKind.TEXTBOOK : DocumentKind.WEB;
        };
        Map<String, Object> metadata = new HashMap<>(document.metadata());
        metadata.put(BUCKET_KEY, bucketOfKind.get(bucketKind));
        return new Verdict.Keep(new Document(document.id(), document.text(), document.source(), document.kind(),
                document.url(), metadata), false, score);
    }
}
