/**
 * The language example model, built on Apache OpenNLP and the trained models the OpenNLP project
 * publishes as Maven artifacts: the language detector (103 languages) answers the {@code language}
 * radio; for English, German and French the Universal Dependencies sentence detector, tokenizer and
 * part-of-speech tagger give the lead sentence ({@code summary}), proper-noun spans ({@code
 * entity}) and what the text contains ({@code contains}).
 */
package org.openfoundry.examples.language;
