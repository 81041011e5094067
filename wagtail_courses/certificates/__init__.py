"""Certificates of attendance as files: ``pdf`` turns the certificate's HTML into a PDF."""
