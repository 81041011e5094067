"""Words and labels made from plain values (dates, prices, answers): they import no models."""
