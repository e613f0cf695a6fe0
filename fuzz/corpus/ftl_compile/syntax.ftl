m = { -t } { $privacy-policy } { "x\u00e9" } { 42 }
-t = T
sel = { $x ->
   *[a] A
}
bad = { NUMBER(1) }
attr =
    .a = b
