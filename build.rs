//! Generates the gRPC code from `proto/` and the descriptor sets that server
//! reflection serves. `protox` compiles the protos in pure Rust, so no system
//! `protoc` is needed.

use std::path::PathBuf;

const PROTO_ROOT: &str = "proto";
/// The public resolver API and its descriptor file in `OUT_DIR`.
const RESOLVER_PROTO: &str = "gazetteer/v1/gazetteer.proto";
const RESOLVER_DESCRIPTOR_FILE: &str = "gazetteer_descriptor.bin";
/// The operator API, compiled apart so reflection lists it only when the
/// server enables it.
const ADMIN_PROTO: &str = "gazetteer/admin/v1/admin.proto";
const ADMIN_DESCRIPTOR_FILE: &str = "gazetteer_admin_descriptor.bin";

fn main() {
    if let Err(err) = try_main() {
        eprintln!("build.rs failed: {err}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let resolver = protox::compile([RESOLVER_PROTO], [PROTO_ROOT])?;
    let admin = protox::compile([ADMIN_PROTO], [PROTO_ROOT])?;
    for (descriptors, file) in [
        (&resolver, RESOLVER_DESCRIPTOR_FILE),
        (&admin, ADMIN_DESCRIPTOR_FILE),
    ] {
        let encoded = prost::Message::encode_to_vec(descriptors);
        std::fs::write(out_dir.join(file), encoded)?;
    }

    let mut all = resolver;
    for file in admin.file {
        if !all.file.iter().any(|f| f.name == file.name) {
            all.file.push(file);
        }
    }
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(all)?;
    Ok(())
}
