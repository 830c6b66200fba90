//! `gazetteer.admin.v1.Admin`: operator calls, served only with `--admin`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ServiceError;
use crate::proto::admin::{self, admin_server::Admin};
use crate::reload::{IndexReloader, Reloaded};

/// Implementation of `gazetteer.admin.v1.Admin`.
#[derive(Debug, Clone)]
pub struct AdminService {
    reloader: Arc<IndexReloader>,
}

impl AdminService {
    /// An admin service reloading through `reloader`.
    pub fn new(reloader: Arc<IndexReloader>) -> Self {
        Self { reloader }
    }
}

#[tonic::async_trait]
impl Admin for AdminService {
    async fn reload_index(
        &self,
        request: Request<admin::ReloadIndexRequest>,
    ) -> Result<Response<admin::ReloadIndexResponse>, Status> {
        let admin::ReloadIndexRequest {} = request.into_inner();
        let Reloaded {
            old_version,
            new_version,
            location,
            entity_count,
            name_count,
        } = self.reloader.reload().await.map_err(ServiceError::from)?;
        Ok(Response::new(admin::ReloadIndexResponse {
            old_version,
            new_version,
            location,
            entity_count,
            name_count,
        }))
    }
}
