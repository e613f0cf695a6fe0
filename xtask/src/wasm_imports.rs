//! Short import and export names for the shipped wasm.
//!
//! wasm-bindgen names every import after the JS function it binds plus a hash
//! (`__wbg_new_with_event_init_dict_afa9822926033490`). The widget has about 160 of them, and
//! each name is stored twice: in the wasm's import section and as a key of the glue's import
//! object. Its closure-invoking exports carry whole mangled type paths (hundreds of
//! characters each). Nothing but the glue reads either, so the build renames them to short
//! names in both files (binaryen's `--minify-imports` only handles the `env` module). Exports
//! the page's API uses (`mount`, `mounthandle_*`, `memory`, …) keep their names: only the long
//! internal ones are renamed. Measured in `BENCHMARKS.md` (size levers).

/// Reads an unsigned LEB128 at `*at`, moving `*at` past it.
fn leb(bytes: &[u8], at: &mut usize) -> Result<u32, String> {
    let mut value: u64 = 0;
    let mut shift = 0;
    loop {
        let b = *bytes
            .get(*at)
            .ok_or("wasm: LEB128 number runs past the end")?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return u32::try_from(value).map_err(|_| "wasm: LEB128 number over u32".to_owned());
        }
        shift += 7;
        if shift > 28 {
            return Err("wasm: LEB128 number over 5 bytes".into());
        }
    }
}

fn put_leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn bytes_at<'a>(bytes: &'a [u8], at: &mut usize, len: usize) -> Result<&'a [u8], String> {
    let end = at
        .checked_add(len)
        .filter(|e| *e <= bytes.len())
        .ok_or("wasm: a name or section runs past the end")?;
    let s = &bytes[*at..end];
    *at = end;
    Ok(s)
}

/// The `k`-th short name: `a`…`Z`, then two characters, and so on (valid JS identifiers).
pub fn short_name(mut k: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";
    let mut s = String::from(char::from(FIRST[k % FIRST.len()]));
    k /= FIRST.len();
    while k > 0 {
        s.push(char::from(REST[k % REST.len()]));
        k /= REST.len();
    }
    s
}

/// Skips one import descriptor (function, table, memory, global or tag) at `*at`.
fn skip_desc(b: &[u8], at: &mut usize) -> Result<(), String> {
    let kind = *b.get(*at).ok_or("wasm: import without a descriptor")?;
    *at += 1;
    let limits = |at: &mut usize| -> Result<(), String> {
        let flags = *b.get(*at).ok_or("wasm: limits run past the end")?;
        *at += 1;
        leb(b, at)?;
        if flags & 1 != 0 {
            leb(b, at)?;
        }
        Ok(())
    };
    match kind {
        0x00 => leb(b, at).map(|_| ()),
        0x01 => {
            *at += 1; // reference type
            limits(at)
        }
        0x02 => limits(at),
        0x03 => {
            *at += 2; // value type, mutability
            Ok(())
        }
        0x04 => {
            *at += 1; // attribute
            leb(b, at).map(|_| ())
        }
        k => Err(format!("wasm: unknown import kind 0x{k:02x}")),
    }
}

/// `(old, new)` import names, in import order.
pub type Renamed = Vec<(String, String)>;

/// Renames every import of `module` in `wasm` to a short name. Returns the new module and the
/// renamed imports.
pub fn minify(wasm: &[u8], module: &str) -> Result<(Vec<u8>, Renamed), String> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        return Err("not a wasm module (version 1)".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut renamed = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)? as usize;
        let body = bytes_at(wasm, &mut at, size)?;
        if id != 2 {
            out.push(id);
            put_leb(&mut out, size as u32);
            out.extend_from_slice(body);
            continue;
        }
        let mut p = 0;
        let n = leb(body, &mut p)?;
        let mut section = Vec::with_capacity(body.len());
        put_leb(&mut section, n);
        for _ in 0..n {
            let ml = leb(body, &mut p)? as usize;
            let m = bytes_at(body, &mut p, ml)?;
            let fl = leb(body, &mut p)? as usize;
            let field = std::str::from_utf8(bytes_at(body, &mut p, fl)?)
                .map_err(|_| "wasm: an import name is not UTF-8".to_owned())?;
            let desc_start = p;
            skip_desc(body, &mut p)?;
            let desc = body
                .get(desc_start..p)
                .ok_or("wasm: import descriptor runs past the end")?;
            let name = if m == module.as_bytes() {
                let short = short_name(renamed.len());
                renamed.push((field.to_owned(), short.clone()));
                short
            } else {
                field.to_owned()
            };
            put_leb(&mut section, ml as u32);
            section.extend_from_slice(m);
            put_leb(&mut section, name.len() as u32);
            section.extend_from_slice(name.as_bytes());
            section.extend_from_slice(desc);
        }
        if p != body.len() {
            return Err("wasm: trailing bytes in the import section".into());
        }
        out.push(2);
        put_leb(&mut out, section.len() as u32);
        out.extend_from_slice(&section);
    }
    Ok((out, renamed))
}

/// Exports whose names are at least this long are renamed (wasm-bindgen's closure shims).
pub const LONG_EXPORT: usize = 40;

/// Renames every export whose name has at least `min_len` characters to `_<short>`. Returns
/// the new module and the renamed exports.
pub fn minify_exports(wasm: &[u8], min_len: usize) -> Result<(Vec<u8>, Renamed), String> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        return Err("not a wasm module (version 1)".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut renamed = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)? as usize;
        let body = bytes_at(wasm, &mut at, size)?;
        if id != 7 {
            out.push(id);
            put_leb(&mut out, size as u32);
            out.extend_from_slice(body);
            continue;
        }
        let mut p = 0;
        let n = leb(body, &mut p)?;
        let mut entries = Vec::new();
        for _ in 0..n {
            let len = leb(body, &mut p)? as usize;
            let name = std::str::from_utf8(bytes_at(body, &mut p, len)?)
                .map_err(|_| "wasm: an export name is not UTF-8".to_owned())?
                .to_owned();
            let desc_start = p;
            p += 1; // kind
            leb(body, &mut p)?; // index
            let desc = body
                .get(desc_start..p)
                .ok_or("wasm: export descriptor runs past the end")?;
            entries.push((name, desc));
        }
        if p != body.len() {
            return Err("wasm: trailing bytes in the export section".into());
        }
        let mut section = Vec::with_capacity(body.len());
        put_leb(&mut section, n);
        let mut k = 0;
        for (name, desc) in &entries {
            let new = if name.len() >= min_len {
                let new = loop {
                    let candidate = format!("_{}", short_name(k));
                    k += 1;
                    if !entries.iter().any(|(n, _)| *n == candidate) {
                        break candidate;
                    }
                };
                renamed.push((name.clone(), new.clone()));
                new
            } else {
                name.clone()
            };
            put_leb(&mut section, new.len() as u32);
            section.extend_from_slice(new.as_bytes());
            section.extend_from_slice(desc);
        }
        out.push(7);
        put_leb(&mut out, section.len() as u32);
        out.extend_from_slice(&section);
    }
    Ok((out, renamed))
}

/// Renames the glue's uses of renamed exports (`wasm.<name>`). The glue also names its local
/// wrapper functions after them; those are identifiers the minifier renames, so they stay. A
/// use as a string (`wasm['<name>']`) is an error, and so is a name never used as a property.
pub fn rewrite_glue_exports(glue: &str, renamed: &[(String, String)]) -> Result<String, String> {
    let mut out = glue.to_owned();
    for (old, new) in renamed {
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        let mut uses = 0;
        while let Some(at) = rest.find(old.as_str()) {
            let before = rest[..at].chars().next_back();
            // A longer export that merely starts with this name is another export.
            let after = rest[at + old.len()..].chars().next();
            let whole = !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            next.push_str(&rest[..at]);
            match before {
                _ if !whole => next.push_str(old),
                Some('.') => {
                    next.push_str(new);
                    uses += 1;
                }
                Some('\'' | '"' | '`' | '[') => {
                    return Err(format!(
                        "wasm-bindgen glue: the export {old:?} is used as a string"
                    ));
                }
                _ => next.push_str(old),
            }
            rest = &rest[at + old.len()..];
        }
        next.push_str(rest);
        if uses == 0 {
            return Err(format!(
                "wasm-bindgen glue: the export {old:?} is never used as `wasm.{old}`"
            ));
        }
        out = next;
    }
    Ok(out)
}

/// Renames the keys of wasm-bindgen's import object in `glue` (`<old>: function(…)`). Each old
/// name must occur exactly once in the glue, as such a key; anything else is an error, so a
/// changed wasm-bindgen output format cannot ship a glue that no longer matches its wasm.
pub fn rewrite_glue(glue: &str, renamed: &[(String, String)]) -> Result<String, String> {
    let mut out = glue.to_owned();
    for (old, new) in renamed {
        let uses = out.matches(old.as_str()).count();
        let key = format!("{old}:");
        if uses != 1 || out.matches(key.as_str()).count() != 1 {
            return Err(format!(
                "wasm-bindgen glue: expected the import {old:?} exactly once, as an object key \
                 (found it {uses} times)"
            ));
        }
        let at = out.find(&key).unwrap_or_default();
        if !out[..at].ends_with(|c: char| c.is_whitespace() || c == '{' || c == ',') {
            return Err(format!("wasm-bindgen glue: {old:?} is not an object key"));
        }
        out.replace_range(at..at + old.len(), new);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with: type section, three imports (two from the glue module: a function and a
    /// table, one from elsewhere: a memory with a maximum), and a custom section.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 4, 1, 0x60, 0, 0]); // type section: one `[] -> []`
        let mut imports = vec![3];
        let mut import = |module: &str, field: &str, desc: &[u8]| {
            imports.push(module.len() as u8);
            imports.extend(module.as_bytes());
            imports.push(field.len() as u8);
            imports.extend(field.as_bytes());
            imports.extend(desc);
        };
        import("./g.js", "__wbg_log_0123456789abcdef", &[0x00, 0x00]);
        import(
            "./g.js",
            "__wbindgen_table",
            &[0x01, 0x6f, 0x01, 0x80, 0x01, 0x81, 0x01],
        );
        import("env", "memory", &[0x02, 0x01, 0x01, 0x02]);
        m.push(2);
        m.push(imports.len() as u8);
        m.extend(imports);
        m.extend([0, 4, 1, b'x', 1, 2]); // custom section "x"
        m
    }

    #[test]
    fn renames_only_the_given_module_and_keeps_the_rest_byte_for_byte() {
        let (out, renamed) = minify(&module(), "./g.js").unwrap();
        assert_eq!(
            renamed,
            [
                ("__wbg_log_0123456789abcdef".to_owned(), "a".to_owned()),
                ("__wbindgen_table".to_owned(), "b".to_owned())
            ]
        );
        let mut want = b"\0asm\x01\0\0\0".to_vec();
        want.extend([1, 4, 1, 0x60, 0, 0]);
        let mut imports = vec![3];
        imports.extend([6]);
        imports.extend(b"./g.js");
        imports.extend([1, b'a', 0x00, 0x00]);
        imports.extend([6]);
        imports.extend(b"./g.js");
        imports.extend([1, b'b', 0x01, 0x6f, 0x01, 0x80, 0x01, 0x81, 0x01]);
        imports.extend([3]);
        imports.extend(b"env");
        imports.extend([6]);
        imports.extend(b"memory");
        imports.extend([0x02, 0x01, 0x01, 0x02]);
        want.push(2);
        want.push(imports.len() as u8);
        want.extend(imports);
        want.extend([0, 4, 1, b'x', 1, 2]);
        assert_eq!(out, want);
    }

    #[test]
    fn bad_modules_are_errors() {
        assert!(minify(b"not wasm", "m").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 10);
        assert!(minify(&cut, "./g.js").is_err());
    }

    #[test]
    fn glue_keys_are_renamed_and_mismatches_refused() {
        let glue = "const import0 = {\n    __proto__: null,\n    __wbg_log_1: function(a) { console.log(a); },\n    __wbindgen_table: function() {},\n};";
        let renamed = [
            ("__wbg_log_1".to_owned(), "a".to_owned()),
            ("__wbindgen_table".to_owned(), "b".to_owned()),
        ];
        assert_eq!(
            rewrite_glue(glue, &renamed).unwrap(),
            "const import0 = {\n    __proto__: null,\n    a: function(a) { console.log(a); },\n    b: function() {},\n};"
        );
        // Named twice (e.g. also called directly): not safe to rename.
        let twice = format!("{glue}\n__wbg_log_1();");
        assert!(rewrite_glue(&twice, &renamed).is_err());
        // Missing from the glue.
        assert!(rewrite_glue("const import0 = {};", &renamed).is_err());
        // Present, but not as a key.
        let not_key = "x.__wbg_log_1: 1; __wbindgen_table: 2";
        assert!(rewrite_glue(not_key, &renamed).is_err());
    }

    #[test]
    fn long_exports_are_renamed_in_the_module_and_the_glue() {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        let long = "wasm_bindgen_convert_closures_invoke_js_sys_Function_true_";
        let mut exports = vec![2];
        exports.push(5);
        exports.extend(b"mount");
        exports.extend([0x00, 0x03]);
        exports.push(long.len() as u8);
        exports.extend(long.as_bytes());
        exports.extend([0x00, 0x81, 0x01]);
        m.push(7);
        m.push(exports.len() as u8);
        m.extend(&exports);
        let (out, renamed) = minify_exports(&m, 40).unwrap();
        assert_eq!(renamed, [(long.to_owned(), "_a".to_owned())]);
        let mut want = b"\0asm\x01\0\0\0".to_vec();
        let mut exports = vec![2, 5];
        exports.extend(b"mount");
        exports.extend([0x00, 0x03, 2, b'_', b'a', 0x00, 0x81, 0x01]);
        want.push(7);
        want.push(exports.len() as u8);
        want.extend(exports);
        assert_eq!(out, want);

        let glue = format!(
            "function {long}(a) {{ wasm.{long}(a); }}\nconst f = wasm.{long}; wasm.mount(1);"
        );
        assert_eq!(
            rewrite_glue_exports(&glue, &renamed).unwrap(),
            format!("function {long}(a) {{ wasm._a(a); }}\nconst f = wasm._a; wasm.mount(1);")
        );
        assert!(rewrite_glue_exports(&format!("x['{long}']"), &renamed).is_err());
        assert!(rewrite_glue_exports("wasm.mount()", &renamed).is_err());
        // One export's name may start with another's: each is renamed as a whole name only.
        let longer = format!("{long}1_");
        let both = [
            (long.to_owned(), "_a".to_owned()),
            (longer.clone(), "_b".to_owned()),
        ];
        assert_eq!(
            rewrite_glue_exports(&format!("wasm.{longer}(1); wasm.{long}(2);"), &both).unwrap(),
            "wasm._b(1); wasm._a(2);"
        );
    }

    #[test]
    fn short_names_are_unique_identifiers() {
        let names: Vec<String> = (0..5000).map(short_name).collect();
        let set: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert_eq!((names[0].as_str(), names[51].as_str()), ("a", "Z"));
        assert_eq!(names[52].len(), 2);
        for n in &names {
            let first = n.chars().next().unwrap();
            assert!(first.is_ascii_alphabetic(), "{n}");
            assert!(n != "__proto__");
        }
    }
}
