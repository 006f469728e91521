//! The default templates are built into the binary (`include_dir!`); rebuild
//! when any of them changes, added and removed files included.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
