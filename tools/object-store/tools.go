//go:build tools

// Tools module: builds the SeaweedFS server (an S3-compatible object store) from its published Go module,
// for the sharded-fleet bench and specs that keep Pulumi state behind an s3:// backend URL.
package tools

import _ "github.com/seaweedfs/seaweedfs/weed"
