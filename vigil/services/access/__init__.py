"""Access: who may do and see what, masking, users and restrictions."""
