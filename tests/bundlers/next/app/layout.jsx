// The root layout every Next.js app router page needs.
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <head>
        <title>pending</title>
      </head>
      <body>{children}</body>
    </html>
  );
}
