package org.openfoundry.predictions;

/** An answer to a classification question, about the whole asset or nested under an object. */
public sealed interface ClassificationAnswer extends Prediction
    permits Radio, Checklist, FreeText {}
