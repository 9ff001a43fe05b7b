"""Photos and videos: probing, thumbnails, poster frames, downscaling (Pillow, PyAV)."""
