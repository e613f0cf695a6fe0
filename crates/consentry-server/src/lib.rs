//! Consentry receipt server.
