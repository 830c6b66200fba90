pub mod proto {
    tonic::include_proto!("gazetteer.v1");
}
