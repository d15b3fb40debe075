//! Where evidence lives: an `object_store` (a local directory by default, or an
//! S3-compatible bucket shared by several `sao` processes), named by SHA-256.
//! Uploads in progress: on one machine, `.part` files appended and synced beside
//! the store; with a bucket, each chunk an object of its own under
//! `uploads/<id>/<offset>`, so a chunk may reach any process.
use object_store::{local::LocalFileSystem, path::Path as StorePath, ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct EvidenceStore {
    store: Arc<dyn ObjectStore>,
    partials: Partials,
}

/// Where the bytes of unfinished uploads wait.
#[derive(Clone, Debug)]
enum Partials {
    /// One file per upload in this folder (one machine).
    Dir(PathBuf),
    /// One object per chunk in the shared store (several processes).
    Chunks,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("could not write the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file store error: {0}")]
    Store(#[from] object_store::Error),
    #[error("file store setting: {0}")]
    Config(String),
}

/// Upload ids are UUIDs; anything else never reaches a file or object name.
fn safe_id(upload_id: &str) -> String {
    upload_id
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect()
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
            partials: Partials::Dir(partial_dir),
        })
    }

    /// A store in an S3-compatible bucket, `s3://bucket` or `s3://bucket/prefix`,
    /// reached with the usual `AWS_*` variables (`AWS_ENDPOINT`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ALLOW_HTTP`). Nothing is asked of the bucket until the first file.
    pub fn s3(url: &str) -> Result<EvidenceStore, StorageError> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| StorageError::Config(format!("not an s3:// address: {url}")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let bucket_store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()?;
        let store: Arc<dyn ObjectStore> = match prefix.trim_matches('/') {
            "" => Arc::new(bucket_store),
            prefix => Arc::new(object_store::prefix::PrefixStore::new(bucket_store, prefix)),
        };
        Ok(EvidenceStore::shared(store))
    }

    /// A store every process reaches (uploads in progress kept in it, chunk by chunk).
    pub fn shared(store: Arc<dyn ObjectStore>) -> EvidenceStore {
        EvidenceStore {
            store,
            partials: Partials::Chunks,
        }
    }

    /// Whether the files are shared by every process (a bucket), not this machine's.
    pub fn is_shared(&self) -> bool {
        matches!(self.partials, Partials::Chunks)
    }

    fn partial_path(dir: &std::path::Path, upload_id: &str) -> PathBuf {
        dir.join(format!("{}.part", safe_id(upload_id)))
    }

    /// The chunks of an upload in the shared store, in order of offset, as far as
    /// they follow each other from 0 (a chunk after a gap is not yet counted).
    async fn chunks(&self, upload_id: &str) -> Result<Vec<(u64, StorePath)>, StorageError> {
        let mut listed = self.all_chunks(upload_id).await?;
        listed.sort_by_key(|(offset, _, _)| *offset);
        let mut next = 0;
        let mut chunks = Vec::new();
        for (offset, size, location) in listed {
            if offset != next {
                break;
            }
            next += size;
            chunks.push((next, location));
        }
        Ok(chunks)
    }

    /// Appends a chunk at `offset`; the file must hold exactly `offset` bytes.
    pub async fn append(
        &self,
        upload_id: &str,
        offset: u64,
        bytes: &[u8],
    ) -> Result<u64, StorageError> {
        use tokio::io::AsyncWriteExt;
        let dir = match &self.partials {
            Partials::Dir(dir) => dir,
            Partials::Chunks => {
                let length = self.received(upload_id).await;
                if length != offset {
                    return Ok(length);
                }
                let at = format!("uploads/{}/{offset:012}", safe_id(upload_id));
                let payload = PutPayload::from(bytes.to_vec());
                self.store.put(&StorePath::from(at), payload).await?;
                return Ok(offset + bytes.len() as u64);
            }
        };
        let path = Self::partial_path(dir, upload_id);
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

    /// Every chunk object of an upload: (offset, size, name), in no order.
    async fn all_chunks(
        &self,
        upload_id: &str,
    ) -> Result<Vec<(u64, u64, StorePath)>, StorageError> {
        use futures::TryStreamExt;
        let prefix = StorePath::from(format!("uploads/{}", safe_id(upload_id)));
        Ok(self
            .store
            .list(Some(&prefix))
            .try_filter_map(|meta| async move {
                let offset = meta.location.filename().and_then(|n| n.parse::<u64>().ok());
                Ok(offset.map(|offset| (offset, meta.size, meta.location)))
            })
            .try_collect()
            .await?)
    }

    /// Bytes of an upload on disk so far.
    pub async fn received(&self, upload_id: &str) -> u64 {
        match &self.partials {
            Partials::Dir(dir) => tokio::fs::metadata(Self::partial_path(dir, upload_id))
                .await
                .map(|m| m.len())
                .unwrap_or(0),
            Partials::Chunks => self
                .chunks(upload_id)
                .await
                .ok()
                .and_then(|chunks| chunks.last().map(|(end, _)| *end))
                .unwrap_or(0),
        }
    }

    /// The first bytes of a partial upload (to recognise its type).
    pub async fn head(&self, upload_id: &str) -> Result<Vec<u8>, StorageError> {
        use tokio::io::AsyncReadExt;
        let dir = match &self.partials {
            Partials::Dir(dir) => dir,
            Partials::Chunks => {
                let mut head = self.partial(upload_id).await?;
                head.truncate(16);
                return Ok(head);
            }
        };
        let mut file = tokio::fs::File::open(Self::partial_path(dir, upload_id)).await?;
        let mut head = vec![0_u8; 16];
        let read = file.read(&mut head).await?;
        head.truncate(read);
        Ok(head)
    }

    /// Moves a complete upload into the store under its SHA-256; returns the digest.
    pub async fn finish(&self, upload_id: &str) -> Result<String, StorageError> {
        let bytes = self.partial(upload_id).await?;
        let sha256 = self.put(bytes).await?;
        match &self.partials {
            Partials::Dir(dir) => {
                tokio::fs::remove_file(Self::partial_path(dir, upload_id)).await?
            }
            Partials::Chunks => self.discard(upload_id).await,
        }
        Ok(sha256)
    }

    /// A complete upload's bytes before it is moved (to make a photo's sizes).
    pub async fn partial(&self, upload_id: &str) -> Result<Vec<u8>, StorageError> {
        match &self.partials {
            Partials::Dir(dir) => Ok(tokio::fs::read(Self::partial_path(dir, upload_id)).await?),
            Partials::Chunks => {
                let mut bytes = Vec::new();
                for (_, location) in self.chunks(upload_id).await? {
                    let chunk = self.store.get(&location).await?.bytes().await?;
                    bytes.extend_from_slice(&chunk);
                }
                Ok(bytes)
            }
        }
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
        match &self.partials {
            Partials::Dir(dir) => {
                let _ = tokio::fs::remove_file(Self::partial_path(dir, upload_id)).await;
            }
            Partials::Chunks => {
                if let Ok(chunks) = self.all_chunks(upload_id).await {
                    for (_, _, location) in chunks {
                        let _ = self.store.delete(&location).await;
                    }
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::EvidenceStore;
    use std::sync::Arc;

    const ID: &str = "0190f3a2-7b1c-7d00-8000-000000000001";

    #[tokio::test]
    async fn chunks_in_a_shared_store_count_from_zero_without_gaps_and_finish_whole() {
        let store = EvidenceStore::shared(Arc::new(object_store::memory::InMemory::new()));
        assert_eq!(store.append(ID, 0, b"%PDF-1.7 ").await.expect("first"), 9);
        // A chunk for a later offset than what is there is told where the upload stands.
        assert_eq!(store.append(ID, 20, b"late").await.expect("ahead"), 9);
        // A resend of the first chunk (its answer lost) changes nothing.
        assert_eq!(store.append(ID, 0, b"%PDF-1.7 ").await.expect("again"), 9);
        assert_eq!(store.append(ID, 9, b"body").await.expect("second"), 13);
        assert_eq!(store.received(ID).await, 13);
        assert_eq!(store.head(ID).await.expect("head"), b"%PDF-1.7 body");
        let sha256 = store.finish(ID).await.expect("finish");
        assert_eq!(store.read(&sha256).await.expect("read"), b"%PDF-1.7 body");
        assert_eq!(store.received(ID).await, 0, "the chunks are gone");
    }

    #[tokio::test]
    async fn a_discarded_shared_upload_leaves_no_chunk() {
        let store = EvidenceStore::shared(Arc::new(object_store::memory::InMemory::new()));
        store.append(ID, 0, b"abc").await.expect("first");
        store.append(ID, 3, b"def").await.expect("second");
        store.discard(ID).await;
        assert_eq!(store.received(ID).await, 0);
        assert!(store.partial(ID).await.expect("partial").is_empty());
    }
}
