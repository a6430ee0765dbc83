/**
 * Side-by-side comparisons: one conversation sent to several models at once, every answer stored,
 * people's judgments of them (the best answer, the acceptable ones, or a ranking), and both ways
 * out: Labelbox {@code messageEvaluationTask} annotations as NDJSON, and a report of each model's
 * wins, appearances, win rate and mean rank.
 */
package org.openfoundry.comparisons;
