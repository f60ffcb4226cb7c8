package org.millrace.common.evalsets;

/**
 * A corpus document held out of training because evaluation uses it (or its twin: the HTML page of
 * a held-out reST page). Ingestion skips it by {@code id}, which is
 * {@code Document.stableId(source, locator)}, the id the corpus readers give it.
 *
 * @param id      document id
 * @param source  corpus source name
 * @param locator path of the document inside the source, as the readers name it
 * @param task    the task that holds it out
 */
public record HeldOutDocument(String id, String source, String locator, String task) {
}
