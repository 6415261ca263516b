//! Export formats: rows of typed cells written to CSV, Excel-safe CSV, JSON, JSON Lines, XLSX and
//! HTML, streamed, with every text value made inert for the tool the file is opened in.
