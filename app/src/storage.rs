//! Where evidence lives: an `object_store` (a local directory by default; any store
//! object_store speaks, S3-compatible included, by configuration), named by SHA-256,
//! with uploads in progress kept as `.part` files beside it until complete.
use object_store::{local::LocalFileSystem, path::Path as StorePath, ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct EvidenceStore {
    store: Arc<dyn ObjectStore>,
    partial_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("could not write the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file store error: {0}")]
    Store(#[from] object_store::Error),
}

impl EvidenceStore {
    /// A store in `root/evidence`, with partial uploads in `root/uploads`.
    pub fn local(root: &std::path::Path) -> Result<EvidenceStore, StorageError> {
        let objects = root.join("evidence");
        let partial_dir = root.join("uploads");
        std::fs::create_dir_all(&objects)?;
        std::fs::create_dir_all(&partial_dir)?;
        Ok(EvidenceStore {
            store: Arc::new(LocalFileSystem::new_with_prefix(objects)?),
            partial_dir,
        })
    }

    fn partial_path(&self, upload_id: &str) -> PathBuf {
        // Ids are UUIDs; anything else never reaches the disk.
        let safe: String = upload_id
            .chars()
            .filter(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        self.partial_dir.join(format!("{safe}.part"))
    }

    /// Appends a chunk at `offset`; the file must hold exactly `offset` bytes.
    pub async fn append(
        &self,
        upload_id: &str,
        offset: u64,
        bytes: &[u8],
    ) -> Result<u64, StorageError> {
        use tokio::io::AsyncWriteExt;
        let path = self.partial_path(upload_id);
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .await?;
        let length = file.metadata().await?.len();
        if length != offset {
            // A chunk whose bytes reached the disk but whose answer was lost: the
            // client asks again from what is here.
            return Ok(length);
        }
        file.write_all(bytes).await?;
        file.flush().await?;
        file.sync_data().await?;
        Ok(offset + bytes.len() as u64)
    }

    /// Bytes of an upload on disk so far.
    pub async fn received(&self, upload_id: &str) -> u64 {
        tokio::fs::metadata(self.partial_path(upload_id))
            .await
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// The first bytes of a partial upload (to recognise its type).
    pub async fn head(&self, upload_id: &str) -> Result<Vec<u8>, StorageError> {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(self.partial_path(upload_id)).await?;
        let mut head = vec![0_u8; 16];
        let read = file.read(&mut head).await?;
        head.truncate(read);
        Ok(head)
    }

    /// Moves a complete upload into the store under its SHA-256; returns the digest.
    pub async fn finish(&self, upload_id: &str) -> Result<String, StorageError> {
        let path = self.partial_path(upload_id);
        let bytes = tokio::fs::read(&path).await?;
        let sha256 = self.put(bytes).await?;
        tokio::fs::remove_file(&path).await?;
        Ok(sha256)
    }

    /// A complete upload's bytes before it is moved (to make a photo's sizes).
    pub async fn partial(&self, upload_id: &str) -> Result<Vec<u8>, StorageError> {
        Ok(tokio::fs::read(self.partial_path(upload_id)).await?)
    }

    /// Stores `bytes` under their SHA-256 (the same bytes twice are one file).
    pub async fn put(&self, bytes: Vec<u8>) -> Result<String, StorageError> {
        let sha256 = sha256_hex(&bytes);
        self.store
            .put(&StorePath::from(sha256.as_str()), PutPayload::from(bytes))
            .await?;
        Ok(sha256)
    }

    pub async fn discard(&self, upload_id: &str) {
        let _ = tokio::fs::remove_file(self.partial_path(upload_id)).await;
    }

    /// A stored file's bytes.
    pub async fn read(&self, sha256: &str) -> Result<Vec<u8>, StorageError> {
        let result = self.store.get(&StorePath::from(sha256)).await?;
        Ok(result.bytes().await?.to_vec())
    }
}

/// A digest in lower-case hex, as files are named.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
