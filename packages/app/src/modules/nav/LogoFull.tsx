import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  cross: {
    fill: '#4fd1c5',
  },
  text: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontWeight: 700,
    fontSize: 30,
  },
});

/** The platform's full logo: a medical cross and the portal's name. */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 300 40"
      role="img"
      aria-label="Prontuário Médico"
    >
      <path
        className={classes.cross}
        d="M13 2h12v11h11v12H25v13H13V25H2V13h11z"
      />
      <text className={classes.text} x="46" y="31">
        Prontuário
      </text>
    </svg>
  );
};
