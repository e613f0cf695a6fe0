//! Consentry widget.
