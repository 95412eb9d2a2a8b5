//! `docker save` images: a tar holding `manifest.json`, the image config and one tar per layer
//! (gzip- or zstd-compressed in OCI layouts). The layers are read in the manifest's order and
//! each file is named `layer:<id>/<path>`, `<id>` the first 12 hex digits of the layer's digest
//! (or its directory in the legacy layout).
//!
//! Whiteouts are respected as the image's history, not as a filter: a file that a later layer
//! deletes (`.wh.<name>`, or an opaque directory `.wh..wh..opq`) is still shipped in the image
//! and readable by anyone who has it, so it is scanned, with the context `removed in layer <id>`
//! saying a running container does not see it. The whiteout markers themselves are not members.
//! The other files of the image (its config with `Env` and the build history, the manifest) are
//! ordinary `tar:` members.

use std::collections::HashMap;

use super::tar::{File, list, members};
use super::{Member, Out, copy_capped, limit, malformed, sniff};

const WHITEOUT: &str = ".wh.";
const OPAQUE: &str = ".wh..wh..opq";

/// One layer, decompressed, with its files.
struct Layer {
    id: String,
    data: Vec<u8>,
    files: Vec<File>,
}

/// Read `data` as an image if its listing holds a `manifest.json` naming layers it contains;
/// `false` when it is not an image (then it is an ordinary tar).
pub(super) fn expand(data: &[u8], files: &[File], out: &mut Out) -> bool {
    let Some(order) = layers(data, files) else {
        return false;
    };
    let mut read = Vec::new();
    for &i in &order {
        if out.budget.spent() {
            break;
        }
        let f = &files[i];
        let raw = &data[f.range.clone()];
        let id = layer_id(&f.path);
        let bytes = match sniff(raw) {
            Some(k) if k.is_stream() => {
                let mut inner = None;
                super::stream::expand(
                    k,
                    raw,
                    "layer.tar",
                    &mut Out {
                        max: out.max,
                        budget: out.budget,
                        visit: &mut |m: Member| inner = Some(m.data),
                        problems: out.problems,
                    },
                );
                inner.unwrap_or_default()
            }
            _ => copy_capped(raw, out.budget, out.problems),
        };
        let (layer_files, error) = list(&bytes);
        if let Some(e) = error {
            out.problem(malformed(format!("layer:{id}: {e}")));
        }
        read.push(Layer {
            id,
            data: bytes,
            files: layer_files,
        });
    }
    let removed = Removals::of(&read);
    let mut n = 0;
    for (li, layer) in read.iter().enumerate() {
        for f in &layer.files {
            let path = clean(&f.path);
            if base(path).starts_with(WHITEOUT) {
                continue;
            }
            if out.budget.spent() {
                return true;
            }
            if out.full(n) {
                let max = out.max;
                out.problem(limit(format!(
                    "member cap ({max}) reached; rest of the image skipped"
                )));
                return true;
            }
            n += 1;
            let bytes = copy_capped(&layer.data[f.range.clone()], out.budget, out.problems);
            let mut m = Member::new(
                format!("layer:{}/{path}", layer.id),
                path.to_string(),
                bytes,
            );
            m.context = removed
                .after(li, path)
                .map(|j| format!("removed in layer {}", read[j].id));
            (out.visit)(m);
        }
    }
    // Everything that is not a layer: the config (`Env`, build history), the manifest.
    let rest: Vec<File> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !order.contains(i))
        .map(|(_, f)| File {
            path: f.path.clone(),
            range: f.range.clone(),
        })
        .collect();
    let mut capped = Out {
        max: out.max.saturating_sub(n),
        budget: out.budget,
        visit: &mut *out.visit,
        problems: &mut *out.problems,
    };
    members(data, &rest, "tar", &mut capped);
    true
}

/// The layers' indices in `files`, in manifest order, when `files` has a `manifest.json` that
/// names at least one layer it holds.
fn layers(data: &[u8], files: &[File]) -> Option<Vec<usize>> {
    let manifest = files.iter().find(|f| clean(&f.path) == "manifest.json")?;
    let json: serde_json::Value = serde_json::from_slice(&data[manifest.range.clone()]).ok()?;
    let by_path: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (clean(&f.path), i))
        .collect();
    let mut order = Vec::new();
    for image in json.as_array()? {
        for layer in image.get("Layers")?.as_array()? {
            let i = *by_path.get(clean(layer.as_str()?))?;
            if !order.contains(&i) {
                order.push(i);
            }
        }
    }
    (!order.is_empty()).then_some(order)
}

/// `<64 hex>/layer.tar` -> its first 12 hex digits; `blobs/sha256/<hex>` -> likewise.
fn layer_id(path: &str) -> String {
    let path = clean(path);
    let part = match path.strip_prefix("blobs/") {
        Some(rest) => base(rest),
        None => path.split('/').next().unwrap_or(path),
    };
    part.chars().take(12).collect()
}

fn clean(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.trim_start_matches('/')
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Paths removed by whiteouts: the last layer removing each path, and the last layer making
/// each directory opaque.
struct Removals {
    gone: HashMap<String, usize>,
    opaque: HashMap<String, usize>,
}

impl Removals {
    fn of(layers: &[Layer]) -> Removals {
        let mut r = Removals {
            gone: HashMap::new(),
            opaque: HashMap::new(),
        };
        for (j, layer) in layers.iter().enumerate() {
            for f in &layer.files {
                let path = clean(&f.path);
                let name = base(path);
                let dir = &path[..path.len() - name.len()];
                if name == OPAQUE {
                    r.opaque.insert(dir.trim_end_matches('/').to_string(), j);
                } else if let Some(target) = name.strip_prefix(WHITEOUT) {
                    r.gone.insert(format!("{dir}{target}"), j);
                }
            }
        }
        r
    }

    /// The layer after `layer` that removes `path` (or a directory above it), if one does.
    fn after(&self, layer: usize, path: &str) -> Option<usize> {
        let mut found = None;
        let mut note = |j: Option<&usize>| {
            if let Some(&j) = j.filter(|&&j| j > layer) {
                found = Some(found.map_or(j, |f: usize| f.min(j)));
            }
        };
        note(self.gone.get(path));
        for (i, _) in path.match_indices('/') {
            note(self.gone.get(&path[..i]));
            note(self.opaque.get(&path[..i]));
        }
        note(self.opaque.get(""));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_ids() {
        let hex = "a".repeat(64);
        assert_eq!(layer_id(&format!("{hex}/layer.tar")), "aaaaaaaaaaaa");
        assert_eq!(layer_id(&format!("blobs/sha256/{hex}")), "aaaaaaaaaaaa");
        assert_eq!(clean("./etc/x"), "etc/x");
    }
}
