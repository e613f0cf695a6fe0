//! Tests of the text analysis.
