//! sqlx embeds `migrations/` at compile time; without this, a new migration
//! file alone would not rebuild the binary that is meant to apply it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
