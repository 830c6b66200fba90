//! Generates the gRPC code from `proto/` and the descriptor set that server
//! reflection serves. `protox` compiles the protos in pure Rust, so no system
//! `protoc` is needed.

use std::path::PathBuf;

const PROTO_ROOT: &str = "proto";
const PROTO_FILES: &[&str] = &["gazetteer/v1/gazetteer.proto"];
/// File in `OUT_DIR` holding the encoded `FileDescriptorSet` for reflection.
const DESCRIPTOR_FILE: &str = "gazetteer_descriptor.bin";

fn main() {
    if let Err(err) = try_main() {
        eprintln!("build.rs failed: {err}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let descriptors = protox::compile(PROTO_FILES, [PROTO_ROOT])?;
    let encoded = prost::Message::encode_to_vec(&descriptors);
    std::fs::write(out_dir.join(DESCRIPTOR_FILE), encoded)?;

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
