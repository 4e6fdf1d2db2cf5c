"""Entity extraction: pattern, gazetteer and statistical NER components."""
